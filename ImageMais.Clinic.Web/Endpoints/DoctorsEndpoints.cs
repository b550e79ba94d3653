using System.Security.Claims;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Web.Api;
using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImageMais.Clinic.Web.Endpoints;

/// <summary><c>/api/doctors</c>: the account's doctors with the procedures they perform, in the original system's shape.</summary>
public static class DoctorsEndpoints
{
    public static RouteGroupBuilder MapDoctorsApi(this IEndpointRouteBuilder api)
    {
        var doctors = api.MapGroup("/doctors").WithTags("Doctors");

        doctors.MapGet("/", ListDoctors)
            .WithName(nameof(ListDoctors))
            .WithSummary("List the account's doctors, by id")
            .WithDescription("`search` matches part of the name, CRM or e-mail.");
        doctors.MapGet("/{id:int}", GetDoctor)
            .WithName(nameof(GetDoctor))
            .WithSummary("Get one doctor");
        doctors.MapPost("/", CreateDoctor)
            .WithName(nameof(CreateDoctor))
            .WithSummary("Create a doctor")
            .WithDescription("Body `{ name, crm, email, phone, isBusy?, procedureIds }`. The doctor and its procedure links are " +
                "written in one transaction. Emits `doctors.created`.");
        doctors.MapPut("/{id:int}", ReplaceDoctor)
            .WithName(nameof(ReplaceDoctor))
            .WithSummary("Replace a doctor")
            .WithDescription("The full body, as for creating; `procedureIds` replaces the doctor's procedures. Emits `doctors.updated`.");
        doctors.MapPatch("/{id:int}", ChangeDoctor)
            .WithName(nameof(ChangeDoctor))
            .WithSummary("Change some fields of a doctor")
            .WithDescription("Any subset of the fields, e.g. `{ \"isBusy\": true }`; fields left out keep their value. Emits `doctors.updated`.");
        doctors.MapDelete("/{id:int}", DeleteDoctor)
            .WithName(nameof(DeleteDoctor))
            .WithSummary("Delete a doctor")
            .WithDescription("Emits `doctors.deleted`.");

        return doctors;
    }

    public static async Task<Ok<IReadOnlyList<DoctorDto>>> ListDoctors(
        string? search, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken) =>
        TypedResults.Ok(await doctors.ListAsync(user.GetAccountId(), search, cancellationToken));

    public static async Task<Results<Ok<DoctorDto>, NotFoundProblem>> GetDoctor(
        int id, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken) =>
        ApiProblems.Found(await doctors.GetAsync(user.GetAccountId(), id, cancellationToken));

    public static async Task<Results<Created<DoctorDto>, ValidationProblem, ConflictProblem>> CreateDoctor(
        JsonBody<DoctorInput> body, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken)
    {
        var result = await doctors.CreateAsync(user.GetAccountId(), body.Value, cancellationToken);
        return result.Failure switch
        {
            null => TypedResults.Created($"{ApiEndpoints.Prefix}/doctors/{result.Value!.Id}", result.Value),
            { Kind: FailureKind.Invalid } invalid => ApiProblems.Invalid(invalid),
            { Kind: FailureKind.Conflict } conflict => ApiProblems.Conflict(conflict),
            var failure => throw ApiProblems.Unexpected(failure),
        };
    }

    public static async Task<Results<Ok<DoctorDto>, NotFoundProblem, ValidationProblem, ConflictProblem>> ReplaceDoctor(
        int id, JsonBody<DoctorInput> body, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken) =>
        ApiProblems.UpdatedOrConflict(await doctors.ReplaceAsync(user.GetAccountId(), id, body.Value, cancellationToken));

    public static async Task<Results<Ok<DoctorDto>, NotFoundProblem, ValidationProblem, ConflictProblem>> ChangeDoctor(
        int id, JsonBody<DoctorInput> body, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken) =>
        ApiProblems.UpdatedOrConflict(await doctors.PatchAsync(user.GetAccountId(), id, body.Value, cancellationToken));

    public static async Task<Results<NoContent, NotFoundProblem>> DeleteDoctor(
        int id, ClaimsPrincipal user, DoctorService doctors, CancellationToken cancellationToken) =>
        ApiProblems.Deleted(await doctors.DeleteAsync(user.GetAccountId(), id, cancellationToken));
}
