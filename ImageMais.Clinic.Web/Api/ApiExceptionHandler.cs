using ImageMais.Clinic.Web.Endpoints;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace ImageMais.Clinic.Web.Api;

/// <summary>
/// Answers an error the API did not expect with a problem response, never the browser app's error page: 500
/// with a trace id and no exception text outside Development; a malformed request Kestrel refused keeps its own
/// status (413, 400…). Requests outside the API are left to the app's error page.
/// </summary>
/// <remarks>The exception-handler middleware has already logged the exception.</remarks>
internal sealed class ApiExceptionHandler(IHostEnvironment environment, IStringLocalizer<ApiMessages> messages) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The exception-handler middleware may already have pointed the request at the error page's path.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!ApiEndpoints.IsApiPath(path))
        {
            return false;
        }

        var problem = new ProblemDetails { Instance = path };
        if (exception is BadHttpRequestException badRequest)
        {
            problem.Status = badRequest.StatusCode;
        }
        else
        {
            problem.Status = StatusCodes.Status500InternalServerError;
            problem.Detail = messages[ApiMessages.UnexpectedError];
        }

        problem.Extensions["traceId"] = httpContext.TraceIdentifier;
        if (environment.IsDevelopment())
        {
            problem.Extensions["exception"] = exception.ToString();
        }

        await TypedResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }
}
