using System.Net;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>What the API answers when it cannot serve a request: problem details, never an HTML page or a stack trace.</summary>
public sealed class ApiErrorTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/api/doctors/not-a-number")]
    [InlineData("GET", "/api/procedures/1/more")]
    public async Task An_unknown_api_route_is_a_404_problem(string method, string path)
    {
        var account = await app.CreateApiAccountAsync();

        using var response = await account.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiTestKit.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_method_a_route_does_not_have_is_a_405_problem()
    {
        var account = await app.CreateApiAccountAsync();

        using var response = await account.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/doctors"));

        await ApiTestKit.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_without_the_exception()
    {
        var account = await app.CreateApiAccountAsync();
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            // The table the next request reads disappears under the running app.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """ALTER TABLE "Procedures" RENAME TO "ProceduresGone";""";
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            using var response = await account.Client.GetAsync("/api/procedures");

            var problem = await ApiTestKit.AssertProblemAsync(response, HttpStatusCode.InternalServerError);
            var text = problem.ToJsonString();
            Assert.False(string.IsNullOrWhiteSpace(problem["traceId"]?.GetValue<string>()));
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ProceduresGone", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        }
        finally
        {
            await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """ALTER TABLE "ProceduresGone" RENAME TO "Procedures";""";
            await command.ExecuteNonQueryAsync();
        }
    }
}
