using System.Security.Claims;
using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// The bearer scheme of the REST API and the public hub: a signed access token (standard JwtBearer handler)
/// whose record must still be active. On hub paths a browser may send it as the <c>access_token</c> query
/// string, since WebSockets cannot carry headers; anywhere else only the <c>Authorization</c> header counts.
/// </summary>
public static class AccessTokenAuthentication
{
    public const string Scheme = "AccessToken";

    /// <summary>The policy of every API route and of the hub: a valid, active access token.</summary>
    public const string Policy = "AccessToken";

    /// <summary>The path prefix of the real-time hubs, where the query-string token is read.</summary>
    public const string HubsPath = "/hubs";

    public static IServiceCollection AddAccessTokenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<AccessTokenService>((options, tokens) =>
        {
            options.MapInboundClaims = false;
            // The token text is not needed after validation; keeping it would cost memory on every hub connection.
            options.SaveToken = false;
            options.TokenValidationParameters = tokens.ValidationParameters();
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (string.IsNullOrEmpty(context.Token)
                        && context.HttpContext.Request.Path.StartsWithSegments(HubsPath)
                        && context.Request.Query["access_token"] is { Count: 1 } queryToken)
                    {
                        context.Token = queryToken;
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    if (await tokens.CheckAsync(context.Principal!, context.HttpContext.RequestAborted) is null)
                    {
                        context.Fail("The access token was revoked.");
                        return;
                    }

                    context.Principal = Slim(context.Principal!);
                },
            };
        });

        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(AccessTokenClaims.AccountId));
        return services;
    }

    /// <summary>
    /// The claims the app reads (account, token id, user), without the rest of the token's claims and the parsed
    /// token the handler's identity keeps: a hub connection holds its principal for as long as it stays open.
    /// The ticket's expiry, which closes a hub connection at the token's end, is kept by the handler apart.
    /// </summary>
    private static ClaimsPrincipal Slim(ClaimsPrincipal principal) =>
        new(new ClaimsIdentity(
            [.. new[] { AccessTokenClaims.AccountId, AccessTokenClaims.TokenId, AccessTokenClaims.UserId }
                .Select(type => principal.FindFirst(type))
                .OfType<Claim>()
                .Select(claim => new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer))],
            Scheme,
            AccessTokenClaims.UserId,
            ClaimTypes.Role));

    /// <summary>The account an authenticated access token speaks for.</summary>
    public static int GetAccountId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(AccessTokenClaims.AccountId), out var accountId)
            ? accountId
            : throw new InvalidOperationException("The principal carries no account.");

    /// <summary>The access token's record id (its <c>jti</c>).</summary>
    public static string? GetAccessTokenId(this ClaimsPrincipal principal) => principal.FindFirstValue(AccessTokenClaims.TokenId);
}
