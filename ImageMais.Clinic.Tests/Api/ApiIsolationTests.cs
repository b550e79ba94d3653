using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// A token carries its account: on every route, account B's token neither sees nor changes account A's rows, and
/// A's ids answer exactly as ids that do not exist.
/// </summary>
public sealed class ApiIsolationTests(TwoAccountsApp app) : IClassFixture<TwoAccountsApp>
{
    private readonly ApiAccount _a = app.A;
    private readonly ApiAccount _b = app.B;
    private readonly JsonObject _aProcedure = app.AProcedure;
    private readonly JsonObject _aDoctor = app.ADoctor;

    public static TheoryData<string, string> RoutesWithAnId() => new()
    {
        { "GET", "/api/procedures/{procedure}" },
        { "PUT", "/api/procedures/{procedure}" },
        { "PATCH", "/api/procedures/{procedure}" },
        { "DELETE", "/api/procedures/{procedure}" },
        { "GET", "/api/doctors/{doctor}" },
        { "PUT", "/api/doctors/{doctor}" },
        { "PATCH", "/api/doctors/{doctor}" },
        { "DELETE", "/api/doctors/{doctor}" },
    };

    [Theory]
    [MemberData(nameof(RoutesWithAnId))]
    public async Task Another_accounts_id_answers_404_exactly_like_an_unknown_id(string method, string path)
    {
        var aBefore = await _a.Client.SnapshotAsync();
        var bBefore = await _b.Client.SnapshotAsync();
        var body = !(method is "PUT" or "PATCH") ? null
            : path.Contains("doctor", StringComparison.Ordinal) ? DoctorBody(name: "Invasor", isBusy: true)
            : new JsonObject { ["name"] = "Invasor", ["price"] = 1 };

        using var foreign = await _b.Client.SendAsync(new HttpMethod(method), Url(path, _aProcedure, _aDoctor), body is null ? null : Json(body));
        using var unknown = await _b.Client.SendAsync(new HttpMethod(method), Url(path, 987654, 987654), body is null ? null : Json(body));

        var foreignProblem = await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        var unknownProblem = await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(unknownProblem["title"]!.GetValue<string>(), foreignProblem["title"]!.GetValue<string>());
        Assert.Equal(aBefore, await _a.Client.SnapshotAsync());
        Assert.Equal(bBefore, await _b.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("/api/doctors")]
    [InlineData("/api/doctors?search=Somente")]
    [InlineData("/api/doctors?search=555000")]
    [InlineData("/api/doctors?search=somente.a")]
    [InlineData("/api/procedures")]
    public async Task Lists_and_searches_never_show_another_accounts_rows(string path)
    {
        var seenByB = (await _b.Client.GetArrayAsync(path)).ToJsonString();

        Assert.DoesNotContain("Somente A", seenByB, StringComparison.Ordinal);
        Assert.DoesNotContain("Exclusivo da A", seenByB, StringComparison.Ordinal);
        Assert.DoesNotContain("555000", seenByB, StringComparison.Ordinal);
        Assert.All((await _b.Client.GetArrayAsync("/api/doctors")).AsArray(), d => Assert.Equal(_b.AccountId, d!["accountId"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Another_accounts_procedure_cannot_be_linked(string method)
    {
        var own = await _b.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Vínculo B"));
        var bBefore = await _b.Client.SnapshotAsync();
        var aBefore = await _a.Client.SnapshotAsync();
        var path = method == "POST" ? "/api/doctors" : $"/api/doctors/{own["id"]}";

        using var response = await _b.Client.SendAsync(new HttpMethod(method), path, Json(DoctorBody(procedureIds: [_aProcedure["id"]!.GetValue<int>()])));

        await AssertInvalidAsync(response, "procedureIds");
        Assert.Equal(bBefore, await _b.Client.SnapshotAsync());
        Assert.Equal(aBefore, await _a.Client.SnapshotAsync());
        await _b.Client.DeleteAsync($"/api/doctors/{own["id"]}");
    }

    [Fact]
    public async Task What_one_account_creates_the_other_never_sees()
    {
        var procedure = await _b.Client.CreateProcedureAsync("Novo da B", 5);
        var doctor = await _b.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Novo B"));

        Assert.DoesNotContain(await _a.Client.GetArrayAsync("/api/procedures"), p => p!["id"]!.GetValue<int>() == procedure["id"]!.GetValue<int>());
        Assert.DoesNotContain(await _a.Client.GetArrayAsync("/api/doctors"), d => d!["id"]!.GetValue<int>() == doctor["id"]!.GetValue<int>());
        await AssertProblemAsync(await _a.Client.GetAsync($"/api/doctors/{doctor["id"]}"), HttpStatusCode.NotFound);
        Assert.Equal(_b.AccountId, doctor["accountId"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_doctors_crm_in_another_account_does_not_count_as_taken()
    {
        var doctor = await _b.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Mesmo CRM", crm: "555000/PE"));

        Assert.Equal("555000/PE", doctor["crm"]!.GetValue<string>());
        await _b.Client.DeleteAsync($"/api/doctors/{doctor["id"]}");
    }

    private static string Url(string path, JsonObject procedure, JsonObject doctor) =>
        Url(path, procedure["id"]!.GetValue<int>(), doctor["id"]!.GetValue<int>());

    private static string Url(string path, int procedureId, int doctorId) =>
        path.Replace("{procedure}", procedureId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{doctor}", doctorId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

/// <summary>The app with two accounts, A and B, each with its own procedure and doctor.</summary>
public sealed class TwoAccountsApp : ClinicApp
{
    public ApiAccount A { get; private set; } = null!;

    public ApiAccount B { get; private set; } = null!;

    public JsonObject AProcedure { get; private set; } = null!;

    public JsonObject ADoctor { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        A = await CreateApiAccountAsync("Clínica A");
        B = await CreateApiAccountAsync("Clínica B");
        AProcedure = await A.Client.CreateProcedureAsync("Exclusivo da A", 123);
        ADoctor = await A.Client.CreateDoctorAsync(DoctorBody(
            name: "Dra. Somente A", crm: "555000/PE", email: "somente.a@example.com", procedureIds: [AProcedure["id"]!.GetValue<int>()]));
        await B.Client.CreateProcedureAsync("Exclusivo da B", 321);
        await B.Client.CreateDoctorAsync(DoctorBody(name: "Dr. Somente B", crm: "555001/PE", email: "somente.b@example.com"));
    }
}
