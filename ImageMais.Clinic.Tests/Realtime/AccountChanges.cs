using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>
/// Makes changes in an account through the REST API over HTTP, with one of the account's bearer tokens, and
/// gives back the bodies the API answered with: what the hub's events must carry.
/// </summary>
public sealed class AccountChanges(HttpClient client, int accountId)
{
    public AccountChanges(ApiAccount account)
        : this(account.Client, account.AccountId)
    {
    }

    /// <summary>A valid new doctor body with a CRM no other test uses.</summary>
    public static JsonObject NewDoctor(string? name = null, params int[] procedureIds)
    {
        var crm = ApiTestKit.UniqueCrm();
        return ApiTestKit.DoctorBody(name ?? $"Dr. Teste {crm}", crm, $"medico{crm}@example.com", "81999998888", procedureIds: procedureIds);
    }

    public Task<JsonObject> CreateDoctorAsync(JsonObject? body = null) => client.CreateDoctorAsync(body ?? NewDoctor());

    public Task<JsonObject> PatchDoctorAsync(int id, JsonObject changes) =>
        SendAsync(HttpMethod.Patch, $"/api/doctors/{id}", changes, HttpStatusCode.OK);

    public Task<JsonObject> ReplaceDoctorAsync(int id, JsonObject body) =>
        SendAsync(HttpMethod.Put, $"/api/doctors/{id}", body, HttpStatusCode.OK);

    public Task DeleteDoctorAsync(int id) => DeleteAsync($"/api/doctors/{id}");

    public Task<JsonObject> CreateProcedureAsync(string name, decimal price) => client.CreateProcedureAsync(name, price);

    public Task<JsonObject> PatchProcedureAsync(int id, JsonObject changes) =>
        SendAsync(HttpMethod.Patch, $"/api/procedures/{id}", changes, HttpStatusCode.OK);

    public Task DeleteProcedureAsync(int id) => DeleteAsync($"/api/procedures/{id}");

    /// <summary>
    /// The body of a <c>*.deleted</c> event. A delete answers 204 with no body, so the event names the row it
    /// removed the way the original system did.
    /// </summary>
    public JsonObject Deleted(int id) => new() { ["id"] = id, ["accountId"] = accountId };

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonNode body, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(method, path, ApiTestKit.Json(body));
        await AssertStatusAsync(response, expected);
        return await ApiTestKit.ReadObjectAsync(response);
    }

    private async Task DeleteAsync(string path)
    {
        using var response = await client.DeleteAsync(path);
        await AssertStatusAsync(response, HttpStatusCode.NoContent);
    }

    private static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
}
