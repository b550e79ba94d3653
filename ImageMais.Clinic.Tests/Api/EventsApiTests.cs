using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// <c>GET /api/events</c>: the account's log for clients that poll, with the same numbers, names and data as the
/// hub's messages, read page by page up to <c>last</c>.
/// </summary>
public sealed class EventsApiTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task Each_change_is_listed_with_its_seq_name_commit_time_and_exactly_the_data_the_api_answered()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var start = DateTime.UtcNow.AddSeconds(-1);
        var procedure = await changes.CreateProcedureAsync("Ultrassom: Tireoide", 100m);
        var procedureId = (int)procedure["id"]!;
        var doctor = await changes.CreateDoctorAsync(AccountChanges.NewDoctor("Dra. Conceição Araújo", procedureId));
        var doctorId = (int)doctor["id"]!;
        var patchedDoctor = await changes.PatchDoctorAsync(doctorId, new JsonObject { ["isBusy"] = true, ["procedureIds"] = new JsonArray() });
        var patchedProcedure = await changes.PatchProcedureAsync(procedureId, new JsonObject { ["price"] = 120.5m });
        await changes.DeleteDoctorAsync(doctorId);
        await changes.DeleteProcedureAsync(procedureId);
        var end = DateTime.UtcNow.AddSeconds(1);

        var page = await GetEventsAsync(account, "");

        Assert.Equal(["events", "last"], page.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(6, (long)page["last"]!);
        (string Name, JsonNode Data)[] expected =
        [
            (AccountEventNames.ProceduresCreated, procedure),
            (AccountEventNames.DoctorsCreated, doctor),
            (AccountEventNames.DoctorsUpdated, patchedDoctor),
            (AccountEventNames.ProceduresUpdated, patchedProcedure),
            (AccountEventNames.DoctorsDeleted, changes.Deleted(doctorId)),
            (AccountEventNames.ProceduresDeleted, changes.Deleted(procedureId)),
        ];
        var events = page["events"]!.AsArray();
        Assert.Equal(expected.Length, events.Count);
        var previous = DateTime.MinValue;
        for (var i = 0; i < expected.Length; i++)
        {
            var item = events[i]!.AsObject();
            Assert.Equal(["at", "data", "event", "seq"], item.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(i + 1, (long)item["seq"]!);
            Assert.Equal(expected[i].Name, (string?)item["event"]);
            Assert.True(JsonNode.DeepEquals(expected[i].Data, item["data"]), $"#{i + 1}: expected {expected[i].Data.ToJsonString()}\nbut got {item["data"]?.ToJsonString()}");
            var at = (string)item["at"]!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", at);
            var time = DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            Assert.InRange(time, Max(start, previous), end);
            previous = time;
        }

        Assert.Equal("120.5", (string?)patchedProcedure["price"]);
    }

    [Fact]
    public async Task A_client_reads_every_event_once_page_by_page_until_it_reaches_last()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((int)(await changes.CreateDoctorAsync())["id"]!);
        }

        var seqs = new List<long>();
        var heardIds = new List<int>();
        var pages = 0;
        long after = 0;
        long last;
        do
        {
            var page = await GetEventsAsync(account, $"?after={after}&limit=2");
            pages++;
            last = (long)page["last"]!;
            var events = page["events"]!.AsArray();
            Assert.InRange(events.Count, 1, 2);
            seqs.AddRange(events.Select(e => (long)e!["seq"]!));
            heardIds.AddRange(events.Select(e => (int)e!["data"]!["id"]!));
            after = seqs[^1];
        }
        while (after < last);

        Assert.Equal([1, 2, 3, 4, 5], seqs);
        Assert.Equal(ids, heardIds);
        Assert.Equal(3, pages);
        var caughtUp = await GetEventsAsync(account, "?after=5&limit=2");
        Assert.Empty(caughtUp["events"]!.AsArray());
        Assert.Equal(5, (long)caughtUp["last"]!);
    }

    [Fact]
    public async Task Without_after_and_limit_the_first_hundred_events_are_listed_and_a_limit_of_a_thousand_is_accepted()
    {
        var account = await app.CreateApiAccountAsync();
        var procedures = app.GetService<ProcedureService>();
        for (var i = 0; i < 101; i++)
        {
            Assert.True((await procedures.CreateAsync(account.AccountId, new ProcedureInput($"Exame {i}", 10m + i))).Succeeded);
        }

        var first = await GetEventsAsync(account, "");
        var rest = await GetEventsAsync(account, "?after=100");
        var all = await GetEventsAsync(account, "?limit=1000");

        Assert.Equal(Enumerable.Range(1, 100).Select(s => (long)s), Seqs(first));
        Assert.Equal(101, (long)first["last"]!);
        Assert.Equal([101], Seqs(rest));
        Assert.Equal(Enumerable.Range(1, 101).Select(s => (long)s), Seqs(all));
    }

    [Theory]
    [InlineData("?after=-1", "after")]
    [InlineData("?after=abc", "after")]
    [InlineData("?after=1.5", "after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?after=2&limit=ten", "limit")]
    public async Task A_bad_after_or_limit_is_a_400_problem_naming_the_field(string query, string field)
    {
        var account = await app.CreateApiAccountAsync();
        await new AccountChanges(account).CreateDoctorAsync();

        using var response = await account.Client.GetAsync("/api/events" + query);

        await AssertInvalidAsync(response, field);
    }

    [Fact]
    public async Task Without_a_token_the_events_are_refused_with_401()
    {
        using var anonymous = app.CreateAnonymousClient();

        using var response = await anonymous.GetAsync("/api/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_account_sees_only_its_own_events_numbered_from_1()
    {
        var clinicA = await app.CreateApiAccountAsync();
        var clinicB = await app.CreateApiAccountAsync();
        var changesA = new AccountChanges(clinicA);
        var changesB = new AccountChanges(clinicB);
        var doctorOfA = await changesA.CreateDoctorAsync();
        var doctorOfB = await changesB.CreateDoctorAsync();
        await changesA.PatchDoctorAsync((int)doctorOfA["id"]!, new JsonObject { ["isBusy"] = true });
        await changesA.CreateDoctorAsync();

        var seenByA = await GetEventsAsync(clinicA, "?limit=1000");
        var seenByB = await GetEventsAsync(clinicB, "?limit=1000");

        Assert.Equal([1, 2, 3], Seqs(seenByA));
        Assert.Equal(3, (long)seenByA["last"]!);
        Assert.All(seenByA["events"]!.AsArray(), e => Assert.Equal(clinicA.AccountId, (int)e!["data"]!["accountId"]!));
        Assert.Equal([1], Seqs(seenByB));
        Assert.Equal(1, (long)seenByB["last"]!);
        Assert.True(JsonNode.DeepEquals(doctorOfB, seenByB["events"]![0]!["data"]));
    }

    [Fact]
    public async Task After_a_number_the_account_never_reached_is_a_410_problem_with_the_latest_number()
    {
        var account = await app.CreateApiAccountAsync();
        await new AccountChanges(account).CreateDoctorAsync();
        await new AccountChanges(account).CreateDoctorAsync();

        using var response = await account.Client.GetAsync("/api/events?after=99");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Gone);
        Assert.Equal(2, (long)problem["last"]!);
        Assert.Contains("nunca existiram", (string?)problem["detail"], StringComparison.Ordinal);
    }

    internal static async Task<JsonObject> GetEventsAsync(ApiAccount account, string query)
    {
        using var response = await account.Client.GetAsync("/api/events" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static List<long> Seqs(JsonObject page) => [.. page["events"]!.AsArray().Select(e => (long)e!["seq"]!)];

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}

/// <summary>
/// <c>GET /api/events</c> once events are no longer kept. Pruning deletes every account's old events, so this test
/// has an app of its own.
/// </summary>
public sealed class EventsApiAfterPruningTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task Events_no_longer_kept_are_a_410_problem_with_the_latest_number_and_reading_carries_on_from_it()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        for (var i = 0; i < 3; i++)
        {
            await changes.CreateDoctorAsync();
        }

        Assert.True(await app.GetService<AccountEventLog>().PruneAsync(DateTime.UtcNow.AddMinutes(1)) >= 3);

        foreach (var after in new[] { 0, 2 })
        {
            using var response = await account.Client.GetAsync($"/api/events?after={after}");
            var problem = await AssertProblemAsync(response, HttpStatusCode.Gone);
            Assert.Equal(3, (long)problem["last"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        }

        var caughtUp = await EventsApiTests.GetEventsAsync(account, "?after=3");
        Assert.Empty(caughtUp["events"]!.AsArray());
        Assert.Equal(3, (long)caughtUp["last"]!);
        var next = await changes.CreateDoctorAsync();
        var page = await EventsApiTests.GetEventsAsync(account, "?after=3");
        var single = Assert.Single(page["events"]!.AsArray())!;
        Assert.Equal(4, (long)single["seq"]!);
        Assert.True(JsonNode.DeepEquals(next, single["data"]));
    }
}
