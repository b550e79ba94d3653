using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>The <c>/api/doctors</c> routes, their events, and the rules that need the database.</summary>
public sealed partial class DoctorsApiTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    /// <summary>The original system's Doctor, as the README gives it.</summary>
    private const string SeedDoctor = """
        { "id": 1, "name": "Dr. João Silva", "crm": "12345", "email": "joao.silva@example.com",
          "phone": "(81) 99999-9999", "isBusy": false, "accountId": 1,
          "createdAt": "2025-01-23T10:30:00.000Z", "updatedAt": "2025-01-23T10:30:00.000Z",
          "doctorProcedures": [ { "id": 1, "procedure": { "id": 3699, "name": "Ultrassom: Tireoide", "price": "100" } } ] }
        """;

    [Fact]
    public async Task A_created_doctor_has_the_seeds_shape_key_for_key()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync("Ultrassom: Tireoide", 100);

        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [procedure["id"]!.GetValue<int>()]));

        AssertSameShape(JsonNode.Parse(SeedDoctor)!, doctor, "$");
        Assert.Equal("Dr. João Silva", doctor["name"]!.GetValue<string>());
        Assert.Equal("(81) 99999-9999", doctor["phone"]!.GetValue<string>());
        Assert.False(doctor["isBusy"]!.GetValue<bool>());
        Assert.Equal(account.AccountId, doctor["accountId"]!.GetValue<int>());
        Assert.Matches(UtcTime(), doctor["createdAt"]!.GetValue<string>());
        Assert.Equal(doctor["createdAt"]!.GetValue<string>(), doctor["updatedAt"]!.GetValue<string>());
        var link = doctor["doctorProcedures"]!.AsArray().Single()!;
        Assert.True(JsonNode.DeepEquals(procedure, link["procedure"]));
        Assert.Equal("100", link["procedure"]!["price"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_a_doctor_answers_201_with_its_location_and_announces_doctors_created()
    {
        var account = await app.CreateApiAccountAsync();
        var first = await account.Client.CreateProcedureAsync("Ressonância", "250.5");
        var second = await account.Client.CreateProcedureAsync("Tomografia", 180);
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PostAsync("/api/doctors", Json(DoctorBody(
            isBusy: true, procedureIds: [second["id"]!.GetValue<int>(), first["id"]!.GetValue<int>()])));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var doctor = await ReadObjectAsync(response);
        var id = doctor["id"]!.GetValue<int>();
        Assert.Equal($"/api/doctors/{id}", response.Headers.Location?.OriginalString);
        Assert.True(doctor["isBusy"]!.GetValue<bool>());
        Assert.Equal(
            [second["id"]!.GetValue<int>(), first["id"]!.GetValue<int>()],
            doctor["doctorProcedures"]!.AsArray().Select(l => l!["procedure"]!["id"]!.GetValue<int>()));

        using var fetched = await account.Client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.True(JsonNode.DeepEquals(doctor, await ReadObjectAsync(fetched)));

        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, announced.Name);
        Assert.Equal(account.AccountId, announced.AccountId);
        Assert.True(JsonEquals(announced, doctor));
    }

    [Fact]
    public async Task Listing_doctors_returns_the_accounts_doctors_by_id()
    {
        var account = await app.CreateApiAccountAsync();
        var ids = new List<int>();
        foreach (var name in new[] { "Dra. Zélia", "Dr. Abel", "Dra. Maria" })
        {
            ids.Add((await account.Client.CreateDoctorAsync(DoctorBody(name: name)))["id"]!.GetValue<int>());
        }

        var doctors = await account.Client.GetArrayAsync("/api/doctors");

        Assert.Equal(ids, doctors.Select(d => d!["id"]!.GetValue<int>()));
        Assert.All(doctors, d => Assert.Equal(account.AccountId, d!["accountId"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("Lúcia", "Dra. Lúcia Prado")]
    [InlineData("7766", "Dr. Carlos Dias")]
    [InlineData("rocha@hosp", "Dr. Rui Rocha")]
    [InlineData("  prado  ", "Dra. Lúcia Prado")]
    public async Task Searching_doctors_matches_part_of_the_name_crm_or_email(string search, string expected)
    {
        var account = await app.CreateApiAccountAsync();
        await account.Client.CreateDoctorAsync(DoctorBody(name: "Dra. Lúcia Prado", crm: "11223", email: "lucia@example.com"));
        await account.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Carlos Dias", crm: "877665/PE", email: "carlos@example.com"));
        await account.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Rui Rocha", crm: "33445", email: "rui.rocha@hospital.com.br"));

        var found = await account.Client.GetArrayAsync($"/api/doctors?search={Uri.EscapeDataString(search)}");

        Assert.Equal([expected], found.Select(d => d!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Searching_with_nothing_that_matches_returns_an_empty_list()
    {
        var account = await app.CreateApiAccountAsync();
        await account.Client.CreateDoctorAsync();

        Assert.Empty(await account.Client.GetArrayAsync("/api/doctors?search=ninguém"));
        Assert.Single(await account.Client.GetArrayAsync("/api/doctors?search="));
    }

    [Fact]
    public async Task Replacing_a_doctor_changes_every_field_and_its_procedures_and_announces_doctors_updated()
    {
        var account = await app.CreateApiAccountAsync();
        var kept = await account.Client.CreateProcedureAsync("Raio-X", 50);
        var added = await account.Client.CreateProcedureAsync("Densitometria", 90);
        var dropped = await account.Client.CreateProcedureAsync("Mamografia", 120);
        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [kept["id"]!.GetValue<int>(), dropped["id"]!.GetValue<int>()]));
        var id = doctor["id"]!.GetValue<int>();
        var keptLinkId = doctor["doctorProcedures"]![0]!["id"]!.GetValue<int>();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PutAsync($"/api/doctors/{id}", Json(DoctorBody(
            name: "Dra. Ana Lima", crm: "654321/sp", email: "ana.lima@example.com", phone: "8133334444", isBusy: true,
            procedureIds: [kept["id"]!.GetValue<int>(), added["id"]!.GetValue<int>()])));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replaced = await ReadObjectAsync(response);
        Assert.Equal(id, replaced["id"]!.GetValue<int>());
        Assert.Equal("Dra. Ana Lima", replaced["name"]!.GetValue<string>());
        Assert.Equal("654321/SP", replaced["crm"]!.GetValue<string>());
        Assert.Equal("ana.lima@example.com", replaced["email"]!.GetValue<string>());
        Assert.Equal("(81) 3333-4444", replaced["phone"]!.GetValue<string>());
        Assert.True(replaced["isBusy"]!.GetValue<bool>());
        Assert.Equal(doctor["createdAt"]!.GetValue<string>(), replaced["createdAt"]!.GetValue<string>());
        var links = replaced["doctorProcedures"]!.AsArray();
        Assert.Equal([kept["id"]!.GetValue<int>(), added["id"]!.GetValue<int>()], links.Select(l => l!["procedure"]!["id"]!.GetValue<int>()));
        Assert.Equal(keptLinkId, links[0]!["id"]!.GetValue<int>());

        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsUpdated, announced.Name);
        Assert.True(JsonEquals(announced, replaced));
        Assert.True(JsonNode.DeepEquals(replaced, await ReadObjectAsync(await account.Client.GetAsync($"/api/doctors/{id}"))));
    }

    [Fact]
    public async Task Replacing_a_doctor_without_every_required_field_is_rejected()
    {
        var account = await app.CreateApiAccountAsync();
        var doctor = await account.Client.CreateDoctorAsync();
        var before = await account.Client.SnapshotAsync();

        using var response = await account.Client.PutAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["isBusy"] = true }));

        await AssertInvalidAsync(response, "name", "crm", "email", "phone");
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Patching_a_doctor_changes_only_the_fields_sent_and_announces_doctors_updated()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync();
        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [procedure["id"]!.GetValue<int>()]));
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PatchAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["isBusy"] = true }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await ReadObjectAsync(response);
        Assert.True(patched["isBusy"]!.GetValue<bool>());
        foreach (var field in new[] { "id", "name", "crm", "email", "phone", "accountId", "createdAt", "doctorProcedures" })
        {
            Assert.True(JsonNode.DeepEquals(doctor[field], patched[field]), field);
        }

        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsUpdated, announced.Name);
        Assert.True(JsonEquals(announced, patched));
    }

    [Fact]
    public async Task Patching_the_procedure_ids_replaces_the_doctors_procedures()
    {
        var account = await app.CreateApiAccountAsync();
        var first = await account.Client.CreateProcedureAsync("Eco", 10);
        var second = await account.Client.CreateProcedureAsync("Doppler", 20);
        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [first["id"]!.GetValue<int>()]));

        using var swapped = await account.Client.PatchAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["procedureIds"] = new JsonArray(second["id"]!.GetValue<int>()) }));
        using var cleared = await account.Client.PatchAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["procedureIds"] = new JsonArray() }));

        Assert.Equal(HttpStatusCode.OK, swapped.StatusCode);
        Assert.Equal([second["id"]!.GetValue<int>()], (await ReadObjectAsync(swapped))["doctorProcedures"]!.AsArray().Select(l => l!["procedure"]!["id"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Empty((await ReadObjectAsync(cleared))["doctorProcedures"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_doctor_answers_204_and_announces_doctors_deleted()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync();
        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [procedure["id"]!.GetValue<int>()]));
        var id = doctor["id"]!.GetValue<int>();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.DeleteAsync($"/api/doctors/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await AssertProblemAsync(await account.Client.GetAsync($"/api/doctors/{id}"), HttpStatusCode.NotFound);
        Assert.Empty(await account.Client.GetArrayAsync("/api/doctors"));
        Assert.Single(await account.Client.GetArrayAsync("/api/procedures"));
        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsDeleted, announced.Name);
        Assert.True(JsonEquals(announced, new JsonObject { ["id"] = id, ["accountId"] = account.AccountId }));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task An_unknown_doctor_id_answers_404_problem(string method)
    {
        var account = await app.CreateApiAccountAsync();
        var body = method is "PUT" or "PATCH" ? Json(DoctorBody()) : null;

        using var response = await account.Client.SendAsync(new HttpMethod(method), "/api/doctors/999999", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("999999", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await account.Client.GetArrayAsync("/api/doctors"));
    }

    [Fact]
    public async Task A_crm_already_used_in_the_account_is_refused_with_409_and_nothing_is_written()
    {
        var account = await app.CreateApiAccountAsync();
        await account.Client.CreateDoctorAsync(DoctorBody(crm: "424242/PE"));
        var before = await account.Client.SnapshotAsync();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PostAsync("/api/doctors", Json(DoctorBody(name: "Outro", crm: "424242/pe")));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.NotEmpty(problem["errors"]!["crm"]!.AsArray());
        Assert.Equal(before, await account.Client.SnapshotAsync());
        await AssertNoEventBeforeTheNextChangeAsync(account, events);
    }

    [Fact]
    public async Task Changing_a_doctor_to_a_crm_another_doctor_uses_is_refused_with_409()
    {
        var account = await app.CreateApiAccountAsync();
        await account.Client.CreateDoctorAsync(DoctorBody(crm: "515151"));
        var other = await account.Client.CreateDoctorAsync();
        var before = await account.Client.SnapshotAsync();

        using var put = await account.Client.PutAsync($"/api/doctors/{other["id"]}", Json(DoctorBody(crm: "515151")));
        using var patch = await account.Client.PatchAsync($"/api/doctors/{other["id"]}", Json(new JsonObject { ["crm"] = "515151" }));

        await AssertProblemAsync(put, HttpStatusCode.Conflict);
        await AssertProblemAsync(patch, HttpStatusCode.Conflict);
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task The_same_crm_is_fine_in_another_account()
    {
        var first = await app.CreateApiAccountAsync();
        var second = await app.CreateApiAccountAsync();
        await first.Client.CreateDoctorAsync(DoctorBody(crm: "363636/RJ"));

        var doctor = await second.Client.CreateDoctorAsync(DoctorBody(crm: "363636/RJ"));

        Assert.Equal("363636/RJ", doctor["crm"]!.GetValue<string>());
        Assert.Single(await first.Client.GetArrayAsync("/api/doctors"));
    }

    [Fact]
    public async Task Keeping_its_own_crm_is_not_a_conflict()
    {
        var account = await app.CreateApiAccountAsync();
        var doctor = await account.Client.CreateDoctorAsync(DoctorBody(crm: "717171"));

        using var response = await account.Client.PutAsync($"/api/doctors/{doctor["id"]}", Json(DoctorBody(name: "Dr. Renomeado", crm: "717171")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Creating_a_doctor_with_another_accounts_procedure_is_rejected()
    {
        var owner = await app.CreateApiAccountAsync();
        var foreign = await owner.Client.CreateProcedureAsync("Procedimento de outra clínica", 10);
        var account = await app.CreateApiAccountAsync();
        var own = await account.Client.CreateProcedureAsync();
        var before = await account.Client.SnapshotAsync();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PostAsync("/api/doctors", Json(DoctorBody(
            procedureIds: [own["id"]!.GetValue<int>(), foreign["id"]!.GetValue<int>()])));

        var problem = await AssertInvalidAsync(response, "procedureIds");
        Assert.Contains(foreign["id"]!.ToJsonString(), problem["errors"]!["procedureIds"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await account.Client.SnapshotAsync());
        await AssertNoEventBeforeTheNextChangeAsync(account, events);
    }

    [Fact]
    public async Task Linking_another_accounts_procedure_to_an_existing_doctor_is_rejected()
    {
        var owner = await app.CreateApiAccountAsync();
        var foreign = await owner.Client.CreateProcedureAsync("Procedimento de outra clínica", 10);
        var account = await app.CreateApiAccountAsync();
        var doctor = await account.Client.CreateDoctorAsync();
        var before = await account.Client.SnapshotAsync();

        using var put = await account.Client.PutAsync($"/api/doctors/{doctor["id"]}", Json(DoctorBody(procedureIds: [foreign["id"]!.GetValue<int>()])));
        using var patch = await account.Client.PatchAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["procedureIds"] = new JsonArray(foreign["id"]!.GetValue<int>()) }));

        await AssertInvalidAsync(put, "procedureIds");
        await AssertInvalidAsync(patch, "procedureIds");
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData(999999)]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task A_procedure_id_that_does_not_exist_is_rejected(int procedureId)
    {
        var account = await app.CreateApiAccountAsync();
        var before = await account.Client.SnapshotAsync();

        using var response = await account.Client.PostAsync("/api/doctors", Json(DoctorBody(procedureIds: [procedureId])));

        await AssertInvalidAsync(response, "procedureIds");
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Every_missing_field_is_reported_at_once()
    {
        var account = await app.CreateApiAccountAsync();

        using var response = await account.Client.PostAsync("/api/doctors", Json(new JsonObject()));

        await AssertInvalidAsync(response, "name", "crm", "email", "phone");
        Assert.Empty(await account.Client.GetArrayAsync("/api/doctors"));
    }

    [Fact]
    public async Task Is_busy_is_optional_and_defaults_to_false()
    {
        var account = await app.CreateApiAccountAsync();

        var doctor = await account.Client.CreateDoctorAsync(DoctorBody().Omit("isBusy").Omit("procedureIds"));

        Assert.False(doctor["isBusy"]!.GetValue<bool>());
        Assert.Empty(doctor["doctorProcedures"]!.AsArray());
    }

    /// <summary>
    /// Events come in commit order, so if the next change's event is the first one heard, the refused request
    /// before it announced nothing.
    /// </summary>
    private static async Task AssertNoEventBeforeTheNextChangeAsync(ApiAccount account, EventRecorder events)
    {
        var marker = await account.Client.CreateProcedureAsync("Marcador", 1);
        var next = await events.NextAsync();
        Assert.Equal(AccountEventNames.ProceduresCreated, next.Name);
        Assert.True(JsonEquals(next, marker));
    }

    /// <summary>Same keys in the same order with the same JSON kinds, all the way down (arrays by their first item).</summary>
    private static void AssertSameShape(JsonNode expected, JsonNode? actual, string path)
    {
        Assert.NotNull(actual);
        Assert.True(expected.GetValueKind() == actual.GetValueKind(), $"{path}: expected {expected.GetValueKind()}, got {actual.GetValueKind()}");
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = actual.AsObject();
                Assert.True(
                    expectedObject.Select(p => p.Key).SequenceEqual(actualObject.Select(p => p.Key)),
                    $"{path}: expected keys {string.Join(",", expectedObject.Select(p => p.Key))}, got {string.Join(",", actualObject.Select(p => p.Key))}");
                foreach (var (key, value) in expectedObject)
                {
                    AssertSameShape(value!, actualObject[key], $"{path}.{key}");
                }

                break;
            case JsonArray expectedArray:
                Assert.Equal(expectedArray.Count, actual.AsArray().Count);
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSameShape(expectedArray[i]!, actual.AsArray()[i], $"{path}[{i}]");
                }

                break;
            default:
                if (expected.GetValueKind() == JsonValueKind.Number)
                {
                    Assert.True(actual.AsValue().TryGetValue<int>(out _), $"{path}: expected an integer");
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex UtcTime();
}
