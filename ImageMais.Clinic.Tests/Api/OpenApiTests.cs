using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>The API describes itself: an OpenAPI document and a reference page, open to anyone.</summary>
public sealed class OpenApiTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task The_openapi_document_lists_every_route_of_the_api_and_nothing_else()
    {
        var document = await GetDocumentAsync();

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => o.Key != "parameters").Select(o => $"{o.Key.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            new[]
            {
                "DELETE /api/doctors/{id}", "DELETE /api/procedures/{id}",
                "GET /api/doctors", "GET /api/doctors/{id}", "GET /api/events", "GET /api/procedures", "GET /api/procedures/{id}",
                "PATCH /api/doctors/{id}", "PATCH /api/procedures/{id}",
                "POST /api/doctors", "POST /api/procedures",
                "PUT /api/doctors/{id}", "PUT /api/procedures/{id}",
            }.Order(StringComparer.Ordinal),
            operations);
    }

    [Fact]
    public async Task The_access_token_is_described_as_a_bearer_scheme_every_operation_requires()
    {
        var document = await GetDocumentAsync();

        var scheme = document["components"]!["securitySchemes"]!.AsObject().Single();
        Assert.Equal("http", scheme.Value!["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme.Value["scheme"]!.GetValue<string>());
        foreach (var operation in Operations(document))
        {
            var security = operation["security"]!.AsArray();
            Assert.Contains(security, requirement => requirement!.AsObject().ContainsKey(scheme.Key));
            Assert.NotNull(operation["responses"]!["401"]);
        }
    }

    [Fact]
    public async Task Operations_are_named_summarised_and_describe_their_bodies_and_problems()
    {
        var document = await GetDocumentAsync();

        Assert.All(Operations(document), operation =>
        {
            Assert.False(string.IsNullOrWhiteSpace(operation["operationId"]?.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()));
            Assert.NotEmpty(operation["tags"]!.AsArray());
        });
        var createDoctor = document["paths"]!["/api/doctors"]!["post"]!;
        Assert.Equal("CreateDoctor", createDoctor["operationId"]!.GetValue<string>());
        Assert.NotNull(createDoctor["requestBody"]!["content"]!["application/json"]);
        foreach (var status in new[] { "201", "400", "409", "413" })
        {
            Assert.NotNull(createDoctor["responses"]![status]);
        }

        Assert.NotNull(createDoctor["responses"]!["409"]!["content"]!["application/problem+json"]);
        Assert.NotNull(document["paths"]!["/api/doctors/{id}"]!["get"]!["responses"]!["404"]!["content"]!["application/problem+json"]);
        Assert.NotNull(document["paths"]!["/api/procedures/{id}"]!["delete"]!["responses"]!["409"]);
    }

    [Fact]
    public async Task The_reference_page_is_served_to_anyone()
    {
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var script = await client.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Prices_and_times_are_described_as_the_api_writes_them()
    {
        var schemas = (await GetDocumentAsync())["components"]!["schemas"]!;

        Assert.Equal("string", schemas["ProcedureDto"]!["properties"]!["price"]!["type"]!.GetValue<string>());
        Assert.Equal(["null", "number", "string"], schemas["ProcedureInput"]!["properties"]!["price"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("date-time", schemas["DoctorDto"]!["properties"]!["createdAt"]!["format"]!.GetValue<string>());
        Assert.Equal("integer", schemas["DoctorDto"]!["properties"]!["id"]!["type"]!.GetValue<string>());
    }

    private async Task<JsonObject> GetDocumentAsync()
    {
        using var client = app.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        return document;
    }

    private static IEnumerable<JsonNode> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Where(o => o.Key != "parameters").Select(o => o.Value!));
}
