using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Operations;

public sealed class OperationsTests(OperationsApp app) : IClassFixture<OperationsApp>
{
    [Fact]
    public async Task Liveness_answers_anyone_without_asking_any_dependency()
    {
        using var client = app.CreateAnonymousClient();
        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Empty(body["checks"]!.AsObject());
    }

    [Fact]
    public async Task Readiness_checks_the_database_and_without_Redis_configured_nothing_else()
    {
        using var client = app.CreateAnonymousClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var checks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal(["database"], checks.Select(c => c.Key));
        Assert.Equal("Healthy", (string?)checks["database"]!["status"]);
    }

    [Fact]
    public async Task Api_calls_past_the_limit_of_a_token_get_429_problem_details_and_other_tokens_are_unaffected()
    {
        var busy = await app.CreateApiAccountAsync();
        var calm = await app.CreateApiAccountAsync();
        for (var i = 0; i < OperationsApp.ApiLimit; i++)
        {
            using var allowed = await busy.Client.GetAsync(new Uri("/api/procedures", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await busy.Client.GetAsync(new Uri("/api/procedures", UriKind.Relative));
        using var other = await calm.Client.GetAsync(new Uri("/api/procedures", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)problem["status"]!);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to try again.");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_refused_api_call_gets_429_problem_details_even_when_it_accepts_only_html()
    {
        var account = await app.CreateApiAccountAsync();
        for (var i = 0; i < OperationsApp.ApiLimit; i++)
        {
            using var allowed = await account.Client.GetAsync(new Uri("/api/procedures", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/procedures");
        request.Headers.Accept.ParseAdd("text/html");
        using var refused = await account.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)problem["status"]!);
        Assert.Equal("Too Many Requests", (string?)problem["title"]);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to try again.");
    }

    [Fact]
    public async Task Hub_negotiations_past_the_limit_of_a_token_get_429()
    {
        var account = await app.CreateApiAccountAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= OperationsApp.NegotiationLimit; i++)
        {
            using var response = await account.Client.PostAsync(new Uri("/hubs/accounts/negotiate?negotiateVersion=1", UriKind.Relative), null);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, OperationsApp.NegotiationLimit), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Health_probes_are_never_rate_limited()
    {
        using var client = app.CreateAnonymousClient();
        for (var i = 0; i < OperationsApp.ApiLimit * 3; i++)
        {
            using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_client_address_and_scheme_come_from_a_trusted_proxys_forwarded_headers()
    {
        var id = Guid.NewGuid().ToString("N");
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Test-Request", id);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("203.0.113.7", "https"), app.SeenClients[id]);
    }
}
