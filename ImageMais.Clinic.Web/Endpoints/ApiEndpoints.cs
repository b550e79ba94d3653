using System.Text.Json.Serialization;
using ImageMais.Clinic.Web.Api;
using ImageMais.Clinic.Web.Auth;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ImageMais.Clinic.Web.Endpoints;

/// <summary>
/// The REST API under <c>/api</c>: every route asks for an active access token and answers bad
/// requests with RFC 9457 problem details. Also its OpenAPI document (<c>/openapi/v1.json</c>) and reference
/// page (<c>/scalar</c>), both open to anyone.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api";

    public static bool IsApiPath(PathString path) => path.StartsWithSegments(Prefix);

    public static IServiceCollection AddClinicApi(this IServiceCollection services)
    {
        services.AddExceptionHandler<ApiExceptionHandler>();

        // API bodies are read and written with the event log's settings (AccountEventJson), so an event carries
        // exactly what the API answered. Numbers are numbers: the web default would also read "1" as 1, which the
        // API refuses as a wrong type.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = ImageMais.Clinic.Realtime.AccountEventJson.Options.NumberHandling);
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith(Prefix[1..] + "/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ImageMais Clinic API",
                    Version = "v1",
                    Description = "Procedures and doctors of one clinic account. Every call sends the account's access token " +
                        "as `Authorization: Bearer {accessToken}`; each change is also announced on the real-time hub `/hubs/accounts`.",
                };
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<AccessTokenOpenApi>();
            options.AddOperationTransformer<AccessTokenOpenApi>();
            options.AddSchemaTransformer(ApiSchemas.DescribeConvertedValues);
        });
        return services;
    }

    public static WebApplication MapClinicApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(AccessTokenAuthentication.Policy)
            .AddEndpointFilter(RejectUnreadableBodies)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapProceduresApi();
        api.MapDoctorsApi();
        api.MapEventsApi();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options
                .WithTitle("ImageMais Clinic API")
                .WithFavicon("/assets/favicon.svg")
                .AddPreferredSecuritySchemes(AccessTokenOpenApi.SchemeId))
            .AllowAnonymous();
        return app;
    }

    /// <summary>Answers with the problem of a body <see cref="JsonBody{T}"/> could not read, before the handler runs.</summary>
    private static async ValueTask<object?> RejectUnreadableBodies(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is IRejectableBody { Problem: { } problem })
            {
                return problem;
            }
        }

        return await next(context);
    }
}
