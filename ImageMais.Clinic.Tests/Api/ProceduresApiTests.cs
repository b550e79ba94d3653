using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>The <c>/api/procedures</c> routes and the procedure rules.</summary>
public sealed class ProceduresApiTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task Creating_a_procedure_answers_201_with_its_location()
    {
        var account = await app.CreateApiAccountAsync();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PostAsync("/api/procedures", Json(new JsonObject { ["name"] = "Ultrassom: Tireoide", ["price"] = 100 }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var procedure = await ReadObjectAsync(response);
        var id = procedure["id"]!.GetValue<int>();
        Assert.Equal(["id", "name", "price"], procedure.Select(p => p.Key));
        Assert.Equal("Ultrassom: Tireoide", procedure["name"]!.GetValue<string>());
        Assert.Equal("100", procedure["price"]!.GetValue<string>());
        Assert.Equal($"/api/procedures/{id}", response.Headers.Location?.OriginalString);
        using var fetched = await account.Client.GetAsync(response.Headers.Location);
        Assert.True(JsonNode.DeepEquals(procedure, await ReadObjectAsync(fetched)));

        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.ProceduresCreated, announced.Name);
        Assert.True(JsonEquals(announced, procedure));
    }

    [Theory]
    [InlineData("100", "100")]
    [InlineData("100.00", "100")]
    [InlineData("110.5", "110.5")]
    [InlineData("110.50", "110.5")]
    [InlineData("0.1", "0.1")]
    [InlineData("0", "0")]
    [InlineData("99999999.99", "99999999.99")]
    public async Task A_price_is_read_from_a_number_or_a_string_and_written_as_a_string_without_trailing_zeros(string sent, string shown)
    {
        var account = await app.CreateApiAccountAsync();

        var asNumber = await account.Client.CreateProcedureAsync("Como número", JsonNode.Parse(sent));
        var asString = await account.Client.CreateProcedureAsync("Como texto", sent);

        Assert.Equal(shown, asNumber["price"]!.GetValue<string>());
        Assert.Equal(shown, asString["price"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listing_procedures_returns_the_accounts_procedures()
    {
        var account = await app.CreateApiAccountAsync();
        var created = new[]
        {
            await account.Client.CreateProcedureAsync("Tomografia", 300),
            await account.Client.CreateProcedureAsync("Densitometria", "80.25"),
        };

        var listed = await account.Client.GetArrayAsync("/api/procedures");

        Assert.Equal(2, listed.Count);
        Assert.All(created, c => Assert.Contains(listed, l => JsonNode.DeepEquals(c, l)));
    }

    [Fact]
    public async Task Replacing_a_procedure_changes_both_fields_and_announces_procedures_updated()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync("Raio-X", 50);
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.PutAsync($"/api/procedures/{procedure["id"]}", Json(new JsonObject { ["name"] = "  Raio-X de tórax  ", ["price"] = "75.9" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replaced = await ReadObjectAsync(response);
        Assert.Equal(procedure["id"]!.GetValue<int>(), replaced["id"]!.GetValue<int>());
        Assert.Equal("Raio-X de tórax", replaced["name"]!.GetValue<string>());
        Assert.Equal("75.9", replaced["price"]!.GetValue<string>());
        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.ProceduresUpdated, announced.Name);
        Assert.True(JsonEquals(announced, replaced));
    }

    [Theory]
    [InlineData("""{"name":"Só o nome"}""", "price")]
    [InlineData("""{"price":10}""", "name")]
    [InlineData("""{}""", "name", "price")]
    public async Task Replacing_a_procedure_needs_every_field(string body, params string[] fields)
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync();
        var before = await account.Client.SnapshotAsync();

        using var response = await account.Client.PutAsync($"/api/procedures/{procedure["id"]}", Raw(body));

        await AssertInvalidAsync(response, fields);
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Patching_a_procedure_changes_only_the_fields_sent()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync("Mamografia", 120);

        using var price = await account.Client.PatchAsync($"/api/procedures/{procedure["id"]}", Json(new JsonObject { ["price"] = 130.5 }));
        using var name = await account.Client.PatchAsync($"/api/procedures/{procedure["id"]}", Json(new JsonObject { ["name"] = "Mamografia digital" }));

        Assert.Equal(HttpStatusCode.OK, price.StatusCode);
        var afterPrice = await ReadObjectAsync(price);
        Assert.Equal(("Mamografia", "130.5"), (afterPrice["name"]!.GetValue<string>(), afterPrice["price"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, name.StatusCode);
        var afterName = await ReadObjectAsync(name);
        Assert.Equal(("Mamografia digital", "130.5"), (afterName["name"]!.GetValue<string>(), afterName["price"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Patching_a_procedure_with_its_current_values_announces_nothing()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync("Mamografia", 120);
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var same = await account.Client.PatchAsync($"/api/procedures/{procedure["id"]}", Json(new JsonObject { ["name"] = "Mamografia", ["price"] = "120.00" }));
        using var changed = await account.Client.PatchAsync($"/api/procedures/{procedure["id"]}", Json(new JsonObject { ["price"] = 125 }));

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("120", (await ReadObjectAsync(same))["price"]!.GetValue<string>());
        var first = await events.NextAsync();
        Assert.Equal("125", ((ProcedureSaved)first.Change).Procedure.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Deleting_a_procedure_answers_204_and_announces_procedures_deleted()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync();
        var id = procedure["id"]!.GetValue<int>();
        using var events = await EventRecorder.StartAsync(app, account.AccountId);

        using var response = await account.Client.DeleteAsync($"/api/procedures/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await account.Client.GetArrayAsync("/api/procedures"));
        var announced = await events.NextAsync();
        Assert.Equal(AccountEventNames.ProceduresDeleted, announced.Name);
        Assert.True(JsonEquals(announced, new JsonObject { ["id"] = id, ["accountId"] = account.AccountId }));
    }

    [Fact]
    public async Task Deleting_a_procedure_a_doctor_performs_is_refused_with_409_and_nothing_is_removed()
    {
        var account = await app.CreateApiAccountAsync();
        var procedure = await account.Client.CreateProcedureAsync("Ecocardiograma", 200);
        await account.Client.CreateDoctorAsync(DoctorBody(name: "Dra. Beatriz Nóbrega", procedureIds: [procedure["id"]!.GetValue<int>()]));
        var before = await account.Client.SnapshotAsync();

        using var response = await account.Client.DeleteAsync($"/api/procedures/{procedure["id"]}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("Dra. Beatriz Nóbrega", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task An_unknown_procedure_id_answers_404_problem(string method)
    {
        var account = await app.CreateApiAccountAsync();
        var body = method is "PUT" or "PATCH" ? Json(new JsonObject { ["name"] = "X", ["price"] = 1 }) : null;

        using var response = await account.Client.SendAsync(new HttpMethod(method), "/api/procedures/999999", body);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(await account.Client.GetArrayAsync("/api/procedures"));
    }

    [Theory]
    [InlineData("""{"price":10}""", "name")]
    [InlineData("""{"name":"   ","price":10}""", "name")]
    [InlineData("""{"name":"Eco"}""", "price")]
    [InlineData("""{"name":"Eco","price":null}""", "price")]
    [InlineData("""{"name":"Eco","price":-1}""", "price")]
    [InlineData("""{"name":"Eco","price":"-0.01"}""", "price")]
    [InlineData("""{"name":"Eco","price":10.005}""", "price")]
    [InlineData("""{"name":"Eco","price":100000000}""", "price")]
    [InlineData("""{"name":"Eco","price":"1,5"}""", "price")]
    [InlineData("""{"name":"Eco","price":"abc"}""", "price")]
    [InlineData("""{"name":"Eco","price":true}""", "price")]
    [InlineData("""{"name":12,"price":1}""", "name")]
    public async Task An_invalid_procedure_is_rejected_and_nothing_is_written(string body, string field)
    {
        var account = await app.CreateApiAccountAsync();
        var before = await account.Client.SnapshotAsync();

        using var response = await account.Client.PostAsync("/api/procedures", Raw(body));

        await AssertInvalidAsync(response, field);
        Assert.Equal(before, await account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task A_procedure_name_may_have_200_characters_after_trimming_but_not_201()
    {
        var account = await app.CreateApiAccountAsync();
        var longest = new string('é', 200);

        var created = await account.Client.CreateProcedureAsync("  " + longest + "  ", 1);
        using var tooLong = await account.Client.PostAsync("/api/procedures", Json(new JsonObject { ["name"] = longest + "a", ["price"] = 1 }));

        Assert.Equal(longest, created["name"]!.GetValue<string>());
        await AssertInvalidAsync(tooLong, "name");
        Assert.Single(await account.Client.GetArrayAsync("/api/procedures"));
    }
}
