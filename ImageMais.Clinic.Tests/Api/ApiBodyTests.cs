using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// Bodies the API cannot use: malformed JSON, wrong JSON types, not an object, not JSON at all, too large. Each
/// gets a problem response on every route that takes a body, and nothing is written.
/// </summary>
public sealed class ApiBodyTests(ApiAccountApp app) : IClassFixture<ApiAccountApp>
{
    private readonly ApiAccount _account = app.Account;

    public static TheoryData<string, string> RoutesWithABody() => new()
    {
        { "POST", "/api/procedures" },
        { "PUT", "/api/procedures/{procedure}" },
        { "PATCH", "/api/procedures/{procedure}" },
        { "POST", "/api/doctors" },
        { "PUT", "/api/doctors/{doctor}" },
        { "PATCH", "/api/doctors/{doctor}" },
    };

    public static TheoryData<string, string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in RouteList())
        {
            foreach (var body in new[] { "{", "{\"name\":}", "{\"name\":\"x\",}", "{'name':'x'}", "not json", "{\"name\":\"x\"} trailing" })
            {
                data.Add(method, path, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_is_a_400_problem_about_the_body(string method, string path, string body)
    {
        var problem = await AssertRefusedAsync(method, path, Raw(body), HttpStatusCode.BadRequest);

        Assert.Equal(["body"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    public static TheoryData<string, string, string> NotObjects()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in RouteList())
        {
            foreach (var body in new[] { "null", "[]", "[{\"name\":\"x\"}]", "\"x\"", "42", "true" })
            {
                data.Add(method, path, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NotObjects))]
    public async Task A_body_that_is_not_a_json_object_is_a_400_problem(string method, string path, string body)
    {
        var problem = await AssertRefusedAsync(method, path, Raw(body), HttpStatusCode.BadRequest);

        Assert.Equal(["body"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(RoutesWithABody))]
    public async Task An_empty_body_is_a_400_problem(string method, string path)
    {
        var problem = await AssertRefusedAsync(method, path, Raw(""), HttpStatusCode.BadRequest);

        Assert.Equal(["body"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(RoutesWithABody))]
    public async Task No_body_at_all_is_a_400_problem(string method, string path)
    {
        var problem = await AssertRefusedAsync(method, path, null, HttpStatusCode.BadRequest);

        Assert.Equal(["body"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("POST", "/api/doctors", """{"isBusy":"yes"}""", "isBusy")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"isBusy":"yes"}""", "isBusy")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"isBusy":1}""", "isBusy")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"IsBusy":"true"}""", "isBusy")]
    [InlineData("PUT", "/api/doctors/{doctor}", """{"name":"Dr. A","crm":"1","email":"a@b.com","phone":"8133334444","isBusy":"no"}""", "isBusy")]
    [InlineData("POST", "/api/doctors", """{"name":42}""", "name")]
    [InlineData("POST", "/api/doctors", """{"name":["Dr. A"]}""", "name")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"crm":12345}""", "crm")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"email":{"address":"a@b.com"}}""", "email")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"phone":81999999999}""", "phone")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":"1"}""", "procedureIds")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":["1"]}""", "procedureIds")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":[1.5]}""", "procedureIds")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":[null]}""", "procedureIds")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":[99999999999]}""", "procedureIds")]
    [InlineData("PATCH", "/api/doctors/{doctor}", """{"procedureIds":{"0":1}}""", "procedureIds")]
    [InlineData("POST", "/api/procedures", """{"name":"Eco","price":[10]}""", "price")]
    [InlineData("PUT", "/api/procedures/{procedure}", """{"name":"Eco","price":{"value":10}}""", "price")]
    [InlineData("PATCH", "/api/procedures/{procedure}", """{"price":false}""", "price")]
    [InlineData("PATCH", "/api/procedures/{procedure}", """{"name":true}""", "name")]
    public async Task A_value_of_the_wrong_json_type_is_a_400_problem_under_the_fields_name(string method, string path, string body, string field)
    {
        var problem = await AssertRefusedAsync(method, path, Raw(body), HttpStatusCode.BadRequest);

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.NotEmpty(problem["errors"]![field]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(RoutesWithABody))]
    public async Task A_body_over_1_mb_is_a_413_problem(string method, string path)
    {
        var body = $$"""{"name":"{{new string('a', 1024 * 1024)}}"}""";

        await AssertRefusedAsync(method, path, Raw(body), HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(RoutesWithABody))]
    public async Task A_body_over_1_mb_without_a_content_length_is_a_413_problem(string method, string path)
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"name":"{{new string('a', 1024 * 1024)}}"}""");
        var content = new StreamContent(new UnsizedStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertRefusedAsync(method, path, content, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_just_under_1_mb_is_read_and_judged_by_the_field_rules()
    {
        var padding = new string(' ', (1024 * 1024) - 300);
        var body = $$"""{"name":"{{new string('a', 201)}}",{{padding}}"price":1}""";
        Assert.True(Encoding.UTF8.GetByteCount(body) <= 1024 * 1024);

        using var response = await _account.Client.PostAsync("/api/procedures", Raw(body));

        await AssertInvalidAsync(response, "name");
    }

    [Theory]
    [MemberData(nameof(RoutesWithABody))]
    public async Task A_body_that_is_not_json_is_a_415_problem(string method, string path)
    {
        await AssertRefusedAsync(method, path, Raw("""{"name":"Eco","price":1}""", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await AssertRefusedAsync(method, path, new FormUrlEncodedContent([new("name", "Eco"), new("price", "1")]), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Json_with_a_charset_and_unknown_fields_is_accepted()
    {
        using var response = await _account.Client.PostAsync(
            "/api/procedures", Raw("""{"name":"Cintilografia","price":"310","id":777,"extra":{"a":[1]}}""", "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual(777, (await ReadObjectAsync(response))["id"]!.GetValue<int>());
        await _account.Client.DeleteAsync(response.Headers.Location);
    }

    [Fact]
    public async Task Messages_follow_the_language_the_client_asks_for()
    {
        using var portuguese = await _account.Client.PostAsync("/api/doctors", Raw("""{"isBusy":"yes"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/doctors") { Content = Raw("""{"isBusy":"yes"}""") };
        request.Headers.AcceptLanguage.ParseAdd("en-US");
        using var english = await _account.Client.SendAsync(request);

        var inPortuguese = (await AssertInvalidAsync(portuguese, "isBusy"))["errors"]!["isBusy"]![0]!.GetValue<string>();
        var inEnglish = (await AssertInvalidAsync(english, "isBusy"))["errors"]!["isBusy"]![0]!.GetValue<string>();
        Assert.Contains("esperado", inPortuguese, StringComparison.Ordinal);
        Assert.Contains("expected", inEnglish, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Method, string Path)> RouteList() =>
        RoutesWithABody().Select(row => ((string)row[0], (string)row[1]));

    private async Task<JsonObject> AssertRefusedAsync(string method, string path, HttpContent? content, HttpStatusCode status)
    {
        var before = await _account.Client.SnapshotAsync();
        using var response = await _account.Client.SendAsync(new HttpMethod(method), app.Url(path), content);

        var problem = await AssertProblemAsync(response, status);
        Assert.Equal(before, await _account.Client.SnapshotAsync());
        return problem;
    }

    /// <summary>A stream whose length is unknown, so the client sends it chunked, without a Content-Length.</summary>
    private sealed class UnsizedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
