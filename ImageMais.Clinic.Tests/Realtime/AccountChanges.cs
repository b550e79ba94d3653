using System.Text.Json;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>
/// Makes changes in an account as the REST API does and gives back the body the API answers with: the feature
/// service's result written with the API's JSON options.
/// </summary>
public sealed class AccountChanges(RealtimeApp app, int accountId)
{
    private static int _crm;

    private JsonSerializerOptions Json => app.Get<IOptions<JsonOptions>>().Value.SerializerOptions;

    /// <summary>A valid new doctor with a CRM no other test uses.</summary>
    public static DoctorInput NewDoctor(string? name = null, params int[] procedureIds)
    {
        var crm = Interlocked.Increment(ref _crm);
        return new DoctorInput(name ?? $"Dr. Teste {crm}", crm.ToString(System.Globalization.CultureInfo.InvariantCulture), $"medico{crm}@example.com", "81999998888", ProcedureIds: procedureIds);
    }

    public async Task<JsonNode> CreateDoctorAsync(DoctorInput? input = null) =>
        Body(await app.Get<DoctorService>().CreateAsync(accountId, input ?? NewDoctor()));

    public async Task<JsonNode> PatchDoctorAsync(int id, DoctorInput changes) =>
        Body(await app.Get<DoctorService>().PatchAsync(accountId, id, changes));

    public async Task<JsonNode> ReplaceDoctorAsync(int id, DoctorInput input) =>
        Body(await app.Get<DoctorService>().ReplaceAsync(accountId, id, input));

    public async Task DeleteDoctorAsync(int id) => Ok(await app.Get<DoctorService>().DeleteAsync(accountId, id));

    public async Task<JsonNode> CreateProcedureAsync(string name, decimal price) =>
        Body(await app.Get<ProcedureService>().CreateAsync(accountId, new ProcedureInput(name, price)));

    public async Task<JsonNode> UpdateProcedureAsync(int id, string? name, decimal? price) =>
        Body(await app.Get<ProcedureService>().UpdateAsync(accountId, id, new ProcedureInput(name, price)));

    public async Task DeleteProcedureAsync(int id) => Ok(await app.Get<ProcedureService>().DeleteAsync(accountId, id));

    /// <summary>The body of a <c>*.deleted</c> event: what the API would describe as the deleted row.</summary>
    public JsonNode Deleted(int id) => JsonSerializer.SerializeToNode(new DeletedPayload(id, accountId), Json)!;

    private JsonNode Body<T>(Result<T> result) =>
        JsonSerializer.SerializeToNode(Ok(result), Json) ?? throw new InvalidOperationException("Empty body.");

    private static T Ok<T>(Result<T> result) =>
        result.Failure is { } failure ? throw new InvalidOperationException(failure.Message) : result.Value!;
}
