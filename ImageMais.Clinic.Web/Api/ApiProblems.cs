using System.Diagnostics;
using System.Reflection;
using ImageMais.Clinic.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ImageMais.Clinic.Web.Api;

/// <summary>
/// The one place a <see cref="Failure"/> of a feature service becomes an RFC 9457 problem response:
/// <see cref="FailureKind.Invalid"/> → 400 with per-field <c>errors</c>, <see cref="FailureKind.NotFound"/> → 404,
/// <see cref="FailureKind.Conflict"/> → 409 (with <c>errors</c> when the service names the field).
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static ValidationProblem Invalid(Failure failure) =>
        TypedResults.ValidationProblem(Errors(failure), title: failure.Message);

    public static NotFoundProblem NotFound(Failure failure) =>
        new(new ProblemDetails { Detail = failure.Message });

    public static ConflictProblem Conflict(Failure failure)
    {
        var details = new ProblemDetails { Detail = failure.Message };
        if (failure.Errors is { Count: > 0 } errors)
        {
            details.Extensions["errors"] = errors;
        }

        return new ConflictProblem(details);
    }

    /// <summary>200 with the value, or 404.</summary>
    public static Results<Ok<T>, NotFoundProblem> Found<T>(Result<T> result) =>
        result.Failure switch
        {
            null => TypedResults.Ok(result.Value),
            { Kind: FailureKind.NotFound } notFound => NotFound(notFound),
            var failure => throw Unexpected(failure),
        };

    /// <summary>200 with the changed value, 404, or 400.</summary>
    public static Results<Ok<T>, NotFoundProblem, ValidationProblem> Updated<T>(Result<T> result) =>
        result.Failure switch
        {
            null => TypedResults.Ok(result.Value),
            { Kind: FailureKind.NotFound } notFound => NotFound(notFound),
            { Kind: FailureKind.Invalid } invalid => Invalid(invalid),
            var failure => throw Unexpected(failure),
        };

    /// <summary>200 with the changed value, 404, 400, or 409.</summary>
    public static Results<Ok<T>, NotFoundProblem, ValidationProblem, ConflictProblem> UpdatedOrConflict<T>(Result<T> result) =>
        result.Failure switch
        {
            null => TypedResults.Ok(result.Value),
            { Kind: FailureKind.NotFound } notFound => NotFound(notFound),
            { Kind: FailureKind.Invalid } invalid => Invalid(invalid),
            { Kind: FailureKind.Conflict } conflict => Conflict(conflict),
            var failure => throw Unexpected(failure),
        };

    /// <summary>204, or 404.</summary>
    public static Results<NoContent, NotFoundProblem> Deleted(Result<Done> result) =>
        result.Failure switch
        {
            null => TypedResults.NoContent(),
            { Kind: FailureKind.NotFound } notFound => NotFound(notFound),
            var failure => throw Unexpected(failure),
        };

    /// <summary>204, 404, or 409.</summary>
    public static Results<NoContent, NotFoundProblem, ConflictProblem> DeletedOrConflict(Result<Done> result) =>
        result.Failure switch
        {
            null => TypedResults.NoContent(),
            { Kind: FailureKind.NotFound } notFound => NotFound(notFound),
            { Kind: FailureKind.Conflict } conflict => Conflict(conflict),
            var failure => throw Unexpected(failure),
        };

    /// <summary>A failure a service cannot give for this operation: a bug, answered as a 500 by the exception handler.</summary>
    public static UnreachableException Unexpected(Failure failure) =>
        new($"The operation failed with an unexpected {failure.Kind}: {failure.Message}");

    private static Dictionary<string, string[]> Errors(Failure failure) =>
        failure.Errors?.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) ?? new Dictionary<string, string[]>(StringComparer.Ordinal);
}

/// <summary>
/// A problem response with a fixed status, written as <c>application/problem+json</c> (the framework's
/// <c>NotFound&lt;ProblemDetails&gt;</c> would write plain JSON) and described as such in the OpenAPI document.
/// </summary>
public abstract class StatusProblem : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    private protected StatusProblem(ProblemDetails problemDetails, int statusCode)
    {
        problemDetails.Status = statusCode;
        Value = problemDetails;
    }

    public ProblemDetails Value { get; }

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => Value.Status;

    public string ContentType => ApiProblems.ContentType;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);

    private protected static void Describe(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [ApiProblems.ContentType]));
}

/// <summary>404: no such thing in the caller's account (another account's id looks exactly the same).</summary>
public sealed class NotFoundProblem(ProblemDetails problemDetails) : StatusProblem(problemDetails, StatusCodes.Status404NotFound), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: valid input that clashes with what is stored.</summary>
public sealed class ConflictProblem(ProblemDetails problemDetails) : StatusProblem(problemDetails, StatusCodes.Status409Conflict), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status409Conflict);
}

/// <summary>410: what was asked for is no longer kept.</summary>
public sealed class GoneProblem(ProblemDetails problemDetails) : StatusProblem(problemDetails, StatusCodes.Status410Gone), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status410Gone);
}
