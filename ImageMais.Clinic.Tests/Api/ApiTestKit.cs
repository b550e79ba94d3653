using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>Requests, builders and assertions shared by the API tests.</summary>
internal static class ApiTestKit
{
    private static int _crmSequence = 1000;

    /// <summary>A CRM no other test uses (1 to 8 digits).</summary>
    public static string UniqueCrm() => Interlocked.Increment(ref _crmSequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A valid doctor body; pass values to change (null leaves the default, use <see cref="Omit"/> to leave a field out).</summary>
    public static JsonObject DoctorBody(
        string? name = null, string? crm = null, string? email = null, string? phone = null, bool? isBusy = null, IEnumerable<int>? procedureIds = null)
    {
        var body = new JsonObject
        {
            ["name"] = name ?? "Dr. João Silva",
            ["crm"] = crm ?? UniqueCrm(),
            ["email"] = email ?? "joao.silva@example.com",
            ["phone"] = phone ?? "(81) 99999-9999",
            ["procedureIds"] = new JsonArray([.. (procedureIds ?? []).Select(id => (JsonNode)id)]),
        };
        if (isBusy is { } busy)
        {
            body["isBusy"] = busy;
        }

        return body;
    }

    public static JsonObject Omit(this JsonObject body, string field)
    {
        body.Remove(field);
        return body;
    }

    public static HttpContent Json(JsonNode body) => Raw(body.ToJsonString());

    public static HttpContent Raw(string json, string contentType = "application/json") =>
        new StringContent(json, Encoding.UTF8, contentType);

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content = null) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = content });

    public static async Task<JsonObject> CreateProcedureAsync(this HttpClient client, string name = "Ultrassom: Tireoide", JsonNode? price = null)
    {
        using var response = await client.PostAsync("/api/procedures", Json(new JsonObject { ["name"] = name, ["price"] = price ?? 100 }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    public static async Task<JsonObject> CreateDoctorAsync(this HttpClient client, JsonObject? body = null)
    {
        using var response = await client.PostAsync("/api/doctors", Json(body ?? DoctorBody()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Everything the account holds, as the API shows it: compared before and after a refused request.</summary>
    public static async Task<string> SnapshotAsync(this HttpClient client) =>
        (await client.GetArrayAsync("/api/doctors")).ToJsonString() + "\n" + (await client.GetArrayAsync("/api/procedures")).ToJsonString();

    /// <summary>Asserts an RFC 9457 problem response with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), text);
        return problem;
    }

    /// <summary>Asserts a 400 problem whose <c>errors</c> has messages under exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonObject> AssertInvalidAsync(HttpResponseMessage response, params string[] fields)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (_, messages) in errors)
        {
            Assert.NotEmpty(messages!.AsArray());
            Assert.All(messages.AsArray(), m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>())));
        }

        return problem;
    }

    public static bool JsonEquals(object payload, JsonNode response) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(payload, payload.GetType(), JsonSerializerOptions.Web), response);

    /// <summary>Whether an event's data is exactly the JSON the API answered.</summary>
    public static bool JsonEquals(AccountEvent accountEvent, JsonNode response) =>
        JsonNode.DeepEquals(JsonNode.Parse(accountEvent.Data.Span), response);
}

/// <summary>Hears an account's events in commit order, as the hub and the browser tabs do.</summary>
internal sealed class EventRecorder : IDisposable
{
    private readonly Channel<AccountEvent> _events = Channel.CreateUnbounded<AccountEvent>();
    private IDisposable? _subscription;

    private EventRecorder()
    {
    }

    /// <summary>Hears <paramref name="accountId"/>'s events from now on.</summary>
    public static async Task<EventRecorder> StartAsync(ClinicApp app, int accountId)
    {
        var recorder = new EventRecorder();
        recorder._subscription = await app.GetService<AccountEventFeed>().SubscribeAsync(accountId, e => recorder._events.Writer.WriteAsync(e).AsTask());
        return recorder;
    }

    public async Task<AccountEvent> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    public void Dispose() => _subscription?.Dispose();
}
