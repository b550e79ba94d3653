using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Features.AccessTokens;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// Every method of every route needs an active access token of the account: absent, garbage,
/// tampered, forged, expired or revoked → 401 problem, and nothing is written.
/// </summary>
public sealed class ApiAuthenticationTests(ApiAuthenticationApp app) : IClassFixture<ApiAuthenticationApp>
{
    public static TheoryData<string, string> Routes() => new()
    {
        { "GET", "/api/procedures" },
        { "POST", "/api/procedures" },
        { "GET", "/api/procedures/{procedure}" },
        { "PUT", "/api/procedures/{procedure}" },
        { "PATCH", "/api/procedures/{procedure}" },
        { "DELETE", "/api/procedures/{procedure}" },
        { "GET", "/api/doctors" },
        { "POST", "/api/doctors" },
        { "GET", "/api/doctors/{doctor}" },
        { "PUT", "/api/doctors/{doctor}" },
        { "PATCH", "/api/doctors/{doctor}" },
        { "DELETE", "/api/doctors/{doctor}" },
    };

    public static TheoryData<string, string, string> RoutesAndBadCredentials()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Routes())
        {
            foreach (var kind in ApiAuthenticationApp.CredentialKinds)
            {
                data.Add((string)row[0], (string)row[1], kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndBadCredentials))]
    public async Task A_request_without_an_active_token_of_the_account_answers_401_and_changes_nothing(string method, string path, string credentials)
    {
        var before = await app.Account.Client.SnapshotAsync();
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), app.Url(path)) { Content = BodyFor(method, path) };
        if (app.Credentials[credentials] is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(before, await app.Account.Client.SnapshotAsync());
    }

    [Fact]
    public async Task A_token_minted_the_same_way_but_still_valid_is_accepted()
    {
        // The expired and unknown-record tokens above differ from this one only in what they test.
        var account = await app.CreateAccountAsync();
        var issued = await app.IssueTokenAsync(account.AccountId);
        using var client = app.CreateApiClient(app.Mint(issued.Id, account, DateTime.UtcNow.AddMinutes(5)));

        using var response = await client.GetAsync("/api/procedures");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_stops_working_as_soon_as_it_is_revoked()
    {
        var account = await app.CreateApiAccountAsync();
        using (var before = await account.Client.GetAsync("/api/doctors"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await app.GetService<AccessTokenService>().RevokeAsync(account.AccountId, account.TokenId);

        await AssertProblemAsync(await account.Client.GetAsync("/api/doctors"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await account.Client.PostAsync("/api/procedures", Json(new JsonObject { ["name"] = "Após revogar", ["price"] = 1 })), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_token_is_read_from_the_authorization_header_only()
    {
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync($"/api/doctors?access_token={Uri.EscapeDataString(app.Account.Token)}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_401_is_never_the_browser_apps_html_page()
    {
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/doctors");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static HttpContent? BodyFor(string method, string path) =>
        method is "GET" or "DELETE" ? null
        : path.Contains("doctors", StringComparison.Ordinal) ? Json(DoctorBody(name: "Sem token"))
        : Json(new JsonObject { ["name"] = "Sem token", ["price"] = 1 });
}
