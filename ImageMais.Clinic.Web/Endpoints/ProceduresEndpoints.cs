using System.Security.Claims;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Web.Api;
using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImageMais.Clinic.Web.Endpoints;

/// <summary><c>/api/procedures</c>: the account's procedures, <c>{ id, name, price }</c>.</summary>
public static class ProceduresEndpoints
{
    public static RouteGroupBuilder MapProceduresApi(this IEndpointRouteBuilder api)
    {
        var procedures = api.MapGroup("/procedures").WithTags("Procedures");

        procedures.MapGet("/", ListProcedures)
            .WithName(nameof(ListProcedures))
            .WithSummary("List the account's procedures");
        procedures.MapGet("/{id:int}", GetProcedure)
            .WithName(nameof(GetProcedure))
            .WithSummary("Get one procedure");
        procedures.MapPost("/", CreateProcedure)
            .WithName(nameof(CreateProcedure))
            .WithSummary("Create a procedure")
            .WithDescription("Body `{ name, price }`; `price` is a number or a string such as \"110.5\". Emits `procedures.created`.");
        procedures.MapPut("/{id:int}", ReplaceProcedure)
            .WithName(nameof(ReplaceProcedure))
            .WithSummary("Replace a procedure")
            .WithDescription("Body `{ name, price }`, both required. Emits `procedures.updated`.");
        procedures.MapPatch("/{id:int}", ChangeProcedure)
            .WithName(nameof(ChangeProcedure))
            .WithSummary("Change some fields of a procedure")
            .WithDescription("Any subset of `{ name, price }`; fields left out keep their value. Emits `procedures.updated`.");
        procedures.MapDelete("/{id:int}", DeleteProcedure)
            .WithName(nameof(DeleteProcedure))
            .WithSummary("Delete a procedure")
            .WithDescription("Refused with 409 while a doctor still performs it. Emits `procedures.deleted`.");

        return procedures;
    }

    public static async Task<Ok<IReadOnlyList<ProcedureDto>>> ListProcedures(
        ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken) =>
        TypedResults.Ok(await procedures.ListAsync(user.GetAccountId(), cancellationToken));

    public static async Task<Results<Ok<ProcedureDto>, NotFoundProblem>> GetProcedure(
        int id, ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken) =>
        ApiProblems.Found(await procedures.GetAsync(user.GetAccountId(), id, cancellationToken));

    public static async Task<Results<Created<ProcedureDto>, ValidationProblem>> CreateProcedure(
        JsonBody<ProcedureInput> body, ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken)
    {
        var result = await procedures.CreateAsync(user.GetAccountId(), body.Value, cancellationToken);
        return result.Failure switch
        {
            null => TypedResults.Created($"{ApiEndpoints.Prefix}/procedures/{result.Value!.Id}", result.Value),
            { Kind: FailureKind.Invalid } invalid => ApiProblems.Invalid(invalid),
            var failure => throw ApiProblems.Unexpected(failure),
        };
    }

    public static async Task<Results<Ok<ProcedureDto>, NotFoundProblem, ValidationProblem>> ReplaceProcedure(
        int id, JsonBody<ProcedureInput> body, ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken) =>
        ApiProblems.Updated(await procedures.ReplaceAsync(user.GetAccountId(), id, body.Value, cancellationToken));

    public static async Task<Results<Ok<ProcedureDto>, NotFoundProblem, ValidationProblem>> ChangeProcedure(
        int id, JsonBody<ProcedureInput> body, ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken) =>
        ApiProblems.Updated(await procedures.UpdateAsync(user.GetAccountId(), id, body.Value, cancellationToken));

    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> DeleteProcedure(
        int id, ClaimsPrincipal user, ProcedureService procedures, CancellationToken cancellationToken) =>
        ApiProblems.DeletedOrConflict(await procedures.DeleteAsync(user.GetAccountId(), id, cancellationToken));
}
