using System.Net;
using System.Security.Claims;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// The app's own OpenID provider (OpenIddict on the clinic database): local users sign in on <c>/account/login</c>
/// and the browser app, its own client, gets their identity through the authorization code flow with PKCE.
/// It is the authority whenever no external one is configured, and it can serve other registered clients too.
/// </summary>
public static class EmbeddedOpenIdProvider
{
    /// <summary>The cookie of the provider's own session: who signed in on its login page.</summary>
    public const string SessionScheme = "ClinicProvider";

    /// <summary>The browser app as a client of the embedded provider.</summary>
    public const string OwnClientId = "imagemais-clinic";

    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string EndSessionPath = "/connect/logout";
    public const string LoginPath = "/account/login";

    public static IServiceCollection AddEmbeddedOpenIdProvider(this IServiceCollection services)
    {
        services.AddSingleton<EmbeddedProviderKeys>();
        services.AddScoped<ClinicDbContext>(sp => sp.GetRequiredService<ClinicDb>().ForSystem());

        services.AddAuthentication().AddCookie(SessionScheme, options =>
        {
            options.Cookie.Name = "__clinic_provider";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = LoginPath;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ClinicDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(AuthorizationPath[1..])
                    .SetTokenEndpointUris(TokenPath[1..])
                    .SetUserInfoEndpointUris(UserInfoPath[1..])
                    .SetEndSessionEndpointUris(EndSessionPath[1..]);
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);

                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Replaced by RequireHttpsOffLoopback below, which still refuses plain HTTP from other machines.
                    .DisableTransportSecurityRequirement();
                options.AddEventHandler<ProcessRequestContext>(handler => handler
                    .UseSingletonHandler<RequireHttpsOffLoopback>()
                    .SetOrder(OpenIddictServerAspNetCoreHandlers.ValidateTransportSecurityRequirement.Descriptor.Order)
                    .SetType(OpenIddictServerHandlerType.Custom));

                // The app's own client may come back to whichever address it was reached at (localhost, a test
                // port, the public name): its callbacks are accepted when they are on the provider's own origin.
                // Every other redirect keeps OpenIddict's registered-URI checks, which the wrappers below call.
                ReplaceUnlessOwnCallback<ValidateAuthorizationRequestContext, OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri>(
                    options,
                    OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor,
                    applications => new OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri(applications),
                    context => IsOwnCallback(context.ClientId, context.RedirectUri, context.BaseUri, StaffSignIn.CallbackPath));
                ReplaceUnlessOwnCallback<ValidateEndSessionRequestContext, OpenIddictServerHandlers.Session.ValidateClientPostLogoutRedirectUri>(
                    options,
                    OpenIddictServerHandlers.Session.ValidateClientPostLogoutRedirectUri.Descriptor,
                    applications => new OpenIddictServerHandlers.Session.ValidateClientPostLogoutRedirectUri(applications),
                    IsOwnSignedOutCallback);
                ReplaceUnlessOwnCallback<ValidateEndSessionRequestContext, OpenIddictServerHandlers.Session.ValidateAuthorizedParty>(
                    options,
                    OpenIddictServerHandlers.Session.ValidateAuthorizedParty.Descriptor,
                    applications => new OpenIddictServerHandlers.Session.ValidateAuthorizedParty(applications),
                    IsOwnSignedOutCallback);
            });

        // The keys come from the database, loaded at start before the server options are first built.
        services.AddOptions<OpenIddictServerOptions>().Configure<EmbeddedProviderKeys>((options, keys) =>
        {
            options.SigningCredentials.Add(new SigningCredentials(keys.SigningKey, SecurityAlgorithms.RsaSha256));
            options.EncryptionCredentials.Add(new EncryptingCredentials(keys.EncryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapEmbeddedOpenIdProvider(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuthorizationPath, AuthorizeAsync).ExcludeFromDescription();
        endpoints.MapPost(TokenPath, ExchangeAsync).ExcludeFromDescription();
        endpoints.MapMethods(UserInfoPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync).ExcludeFromDescription();
        endpoints.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Registers (or brings up to date) the app's own client; called at start.</summary>
    public static async Task RegisterOwnClientAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = OwnClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "ImageMais Clinic",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        var existing = await applications.FindByClientIdAsync(OwnClientId, cancellationToken);
        if (existing is null)
        {
            try
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            catch (Exception)
            {
                // Another instance may have registered it at the same moment; anything else is a real failure.
                if (await applications.FindByClientIdAsync(OwnClientId, cancellationToken) is null)
                {
                    throw;
                }
            }
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    /// <summary>The authorization endpoint: asks for the provider's sign-in if needed, then issues a code.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, UserService users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(SessionScheme);
        var user = session.Succeeded ? await FindActiveUserAsync(users, session.Principal, http.RequestAborted) : null;
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(ErrorProperties(Errors.LoginRequired, "The user is not signed in."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString },
                [SessionScheme]);
        }

        return Results.SignIn(TokenPrincipal(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The token endpoint: redeems a code, again refusing a user disabled since it was issued.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext http, UserService users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Results.Forbid(ErrorProperties(Errors.UnsupportedGrantType, "Only the authorization code grant is supported."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var (token, user) = await TokenUserAsync(http, users);
        if (token is null || user is null)
        {
            return Results.Forbid(ErrorProperties(Errors.InvalidGrant, "The user can no longer sign in."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(TokenPrincipal(user, token.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, UserService users)
    {
        var (token, user) = await TokenUserAsync(http, users);
        if (token is null || user is null)
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The user can no longer sign in."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (token.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = true;
        }

        if (token.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.Name;
        }

        return Results.Ok(claims);
    }

    /// <summary>The token (code or access token) this request presents, and the user it names if they are still active.</summary>
    private static async Task<(ClaimsPrincipal? Token, SignInUser? User)> TokenUserAsync(HttpContext http, UserService users)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || !int.TryParse(result.Principal.GetClaim(Claims.Subject), out var userId))
        {
            return (null, null);
        }

        var user = await users.FindForSignInAsync(userId, http.RequestAborted);
        return (result.Principal, user is { IsActive: true } ? user : null);
    }

    /// <summary>The end-session endpoint: ends the provider's session and sends the browser back to the client.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(SessionScheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = StaffSignIn.SignedOutPath },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The claims of the signed-in user for the provider's session cookie.</summary>
    internal static ClaimsPrincipal SessionPrincipal(SignInUser user) =>
        new(new ClaimsIdentity(
            [
                new Claim(Claims.Subject, user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClinicClaims.SecurityStamp, user.SecurityStamp),
            ],
            SessionScheme));

    private static async Task<SignInUser?> FindActiveUserAsync(UserService users, ClaimsPrincipal session, CancellationToken cancellationToken)
    {
        if (!int.TryParse(session.FindFirstValue(Claims.Subject), out var userId))
        {
            return null;
        }

        var user = await users.FindForSignInAsync(userId, cancellationToken);
        return StaffSignIn.MayStillSignIn(user, session.FindFirstValue(ClinicClaims.SecurityStamp)) ? user : null;
    }

    private static ClaimsPrincipal TokenPrincipal(SignInUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.Name);
        identity.SetScopes(scopes);
        var principal = new ClaimsPrincipal(identity);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Email when principal.HasScope(Scopes.Email) => [Destinations.IdentityToken],
            Claims.Name when principal.HasScope(Scopes.Profile) => [Destinations.IdentityToken],
            _ => [],
        });
        return principal;
    }

    private static AuthenticationProperties ErrorProperties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });

    /// <summary>
    /// Plain HTTP is refused (as OpenIddict does by default) unless it is a request from this machine to a loopback
    /// address (development, tests) or <c>Authentication:Server:AllowHttp</c> says otherwise.
    /// </summary>
    private sealed class RequireHttpsOffLoopback(IOptionsMonitor<StaffSignInOptions> options) : IOpenIddictServerHandler<ProcessRequestContext>
    {
        public ValueTask HandleAsync(ProcessRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("Not an ASP.NET Core request.");
            if (context.EndpointType is not OpenIddictServerEndpointType.Unknown
                && !request.IsHttps
                && !options.CurrentValue.Server.AllowHttp
                && !IsLoopback(request.HttpContext))
            {
                context.Reject(Errors.InvalidRequest, "This server only accepts HTTPS requests.");
            }

            return default;
        }

        private static bool IsLoopback(HttpContext http) =>
            http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && (http.Request.Host.Host == "localhost" || (IPAddress.TryParse(http.Request.Host.Host, out var host) && IPAddress.IsLoopback(host)));
    }

    /// <summary>Puts <paramref name="check"/> (one of OpenIddict's redirect checks) in its own place, skipped for the app's own client coming back to this origin.</summary>
    private static void ReplaceUnlessOwnCallback<TContext, TCheck>(
        OpenIddictServerBuilder options,
        OpenIddictServerHandlerDescriptor replaced,
        Func<IOpenIddictApplicationManager, TCheck> check,
        Func<TContext, bool> isOwnCallback)
        where TContext : BaseContext
        where TCheck : IOpenIddictServerHandler<TContext>
    {
        // OpenIddict resolves a handler by its type, so each wrapper's type names the check it wraps.
        options.RemoveEventHandler(replaced);
        options.AddEventHandler<TContext>(handler => handler
            .UseScopedHandler(services => new UnlessOwnCallback<TContext, TCheck>(check(services.GetRequiredService<IOpenIddictApplicationManager>()), isOwnCallback))
            .SetOrder(replaced.Order)
            .SetType(OpenIddictServerHandlerType.Custom));
    }

    private sealed class UnlessOwnCallback<TContext, TCheck>(TCheck check, Func<TContext, bool> isOwnCallback) : IOpenIddictServerHandler<TContext>
        where TContext : BaseContext
        where TCheck : IOpenIddictServerHandler<TContext>
    {
        public ValueTask HandleAsync(TContext context) => isOwnCallback(context) ? default : check.HandleAsync(context);
    }

    private static bool IsOwnSignedOutCallback(ValidateEndSessionRequestContext context) =>
        IsOwnCallback(
            context.ClientId ?? context.IdentityTokenHintPrincipal?.GetAudiences().FirstOrDefault(),
            context.PostLogoutRedirectUri,
            context.BaseUri,
            StaffSignIn.SignedOutCallbackPath);

    private static bool IsOwnCallback(string? clientId, string? uri, Uri? baseUri, string path) =>
        clientId == OwnClientId && uri is not null && baseUri is not null
        && Uri.TryCreate(uri, UriKind.Absolute, out var target)
        && Uri.Compare(target, new Uri(baseUri.AbsoluteUri.TrimEnd('/') + path), UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;
}
