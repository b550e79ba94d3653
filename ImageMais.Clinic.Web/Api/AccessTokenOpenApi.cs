using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageMais.Clinic.Web.Api;

/// <summary>
/// Describes the access token in the OpenAPI document: an HTTP bearer scheme, required by every operation whose
/// endpoint asks for the access-token policy, so the reference page offers a place to paste the token.
/// </summary>
internal sealed class AccessTokenOpenApi : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeId = "accessToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token issued by the clinic's master user (Access tokens page or `tokens issue`), " +
                "valid for one hour: `Authorization: Bearer {accessToken}`.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var needsToken = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<IAuthorizeData>()
            .Any(a => a.Policy == AccessTokenAuthentication.Policy);
        if (needsToken)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [],
            });
        }

        return Task.CompletedTask;
    }
}
