using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Claims;
using ImageMais.Clinic.Features.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// How staff sign in to the browser app: always OpenID Connect (authorization code + PKCE), against the embedded
/// provider or an external one (<c>Authentication:Oidc:Authority</c>), ending in a cookie session that carries
/// the local user, their clinic and role (<see cref="ClinicClaims"/>).
/// </summary>
public static class StaffSignIn
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/logout";
    public const string SignedOutPath = "/account/signed-out";
    public const string NotRegisteredPath = "/account/not-registered";
    public const string SignInFailedPath = "/account/sign-in-failed";
    public const string AccessDeniedPath = "/access-denied";

    /// <summary>The sign-in failure page's reason for an external identity whose e-mail the provider did not verify.</summary>
    public const string UnverifiedEmailReason = "unverified-email";

    private const string EmailVerifiedClaim = "email_verified";

    public static WebApplicationBuilder AddStaffSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(StaffSignInOptions.SectionName);
        services.Configure<StaffSignInOptions>(section);
        var settings = section.Get<StaffSignInOptions>() ?? new StaffSignInOptions();

        services.AddClinicUsers();
        services.AddHttpContextAccessor();
        services.AddEmbeddedOpenIdProvider();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = OidcScheme;
            })
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "__clinic_session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.AccessDeniedPath = AccessDeniedPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddOpenIdConnect(OidcScheme, options =>
            {
                options.SignInScheme = CookieScheme;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.MapInboundClaims = false;
                options.SaveTokens = true;
                options.CallbackPath = CallbackPath;
                options.SignedOutCallbackPath = SignedOutCallbackPath;
                options.TokenValidationParameters.NameClaimType = ClinicClaims.Name;
                options.TokenValidationParameters.RoleClaimType = ClinicClaims.Role;

                // The provider sends the browser back with a top-level GET, which carries Lax cookies; None would
                // need Secure, which a plain-HTTP development or test address cannot have.
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

                options.Scope.Clear();
                if (settings.UsesExternalProvider)
                {
                    var external = settings.Oidc;
                    options.Authority = external.Authority;
                    options.ClientId = external.ClientId ?? throw new InvalidOperationException("Authentication:Oidc:ClientId is required with an Authority.");
                    options.ClientSecret = external.ClientSecret;
                    options.RequireHttpsMetadata = external.RequireHttpsMetadata;
                    options.GetClaimsFromUserInfoEndpoint = external.GetClaimsFromUserInfoEndpoint;
                    options.ClaimActions.MapUniqueJsonKey(EmailVerifiedClaim, EmailVerifiedClaim);
                    foreach (var scope in external.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        options.Scope.Add(scope);
                    }
                }
                else
                {
                    options.ClientId = EmbeddedOpenIdProvider.OwnClientId;
                    options.Scope.Add("openid");
                    options.Scope.Add("profile");
                    options.Scope.Add("email");
                }

                options.Events.OnTicketReceived = ToClinicSessionAsync;
                options.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect(SignInFailedPath);
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });

        if (!settings.UsesExternalProvider)
        {
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IHttpContextAccessor, EmbeddedProviderKeys, IServer>(
                (options, http, keys, server) =>
                {
                    options.ConfigurationManager = new EmbeddedProviderConfiguration(http, keys);
                    options.BackchannelHttpHandler = new OwnAddressBackchannel(server);
                });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(ClinicPolicies.Staff, policy => policy.RequireAuthenticatedUser().RequireClaim(ClinicClaims.AccountId))
            .AddPolicy(ClinicPolicies.Master, policy => policy.RequireAuthenticatedUser().RequireClaim(ClinicClaims.AccountId)
                .RequireRole(nameof(Domain.UserRole.Master)));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, StaffSessionRevalidation>();
        services.AddScoped<ICurrentAccount, CurrentAccount>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaffSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapEmbeddedOpenIdProvider();
        endpoints.MapGet(SignInPath, (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) }, [OidcScheme]))
            .ExcludeFromDescription();
        endpoints.MapPost(SignOutPath, SignOutAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Ends the app's session and the provider's; only from the app's own form (antiforgery), so no other site can sign a user out.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(title: "The sign-out form did not carry a valid antiforgery token.", statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath }, [CookieScheme, OidcScheme]);
    }

    /// <summary>Loads the provider's keys and registers the app as its client, before requests are served.</summary>
    public static async Task PrepareStaffSignInAsync(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        await app.Services.GetRequiredService<EmbeddedProviderKeys>().LoadAsync(stopping);
        await EmbeddedOpenIdProvider.RegisterOwnClientAsync(app.Services, stopping);
    }

    /// <summary>A local path to return to after signing in or out; anything else (another site, <c>//host</c>) becomes "/".</summary>
    public static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl)
            ? url
            : "/";

    /// <summary>Whether a session still belongs to an active user whose credentials have not changed since it began.</summary>
    internal static async Task<bool> IsCurrentAsync(UserService users, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.ToClinicUser() is not { } clinicUser)
        {
            return false;
        }

        var user = await users.FindForSignInAsync(clinicUser.UserId, cancellationToken);
        return MayStillSignIn(user, principal.FindFirstValue(ClinicClaims.SecurityStamp)) && user.AccountId == clinicUser.AccountId;
    }

    /// <summary>Whether a session (the app's or the provider's) begun with <paramref name="securityStamp"/> still holds: the user is active and their credentials have not changed since.</summary>
    internal static bool MayStillSignIn([NotNullWhen(true)] SignInUser? user, string? securityStamp) =>
        user is { IsActive: true } && user.SecurityStamp == securityStamp;

    /// <summary>How long a session cookie's check against the user table holds before it is made again.</summary>
    private static readonly TimeSpan SessionCheckInterval = TimeSpan.FromSeconds(30);

    private const string SessionCheckedAtItem = ".clinic.checked-at";

    /// <summary>
    /// Re-checks the session's user at most every <see cref="SessionCheckInterval"/> (the time of the last check
    /// rides in the cookie), not on every request the cookie comes with — pages, scripts, styles, the circuit.
    /// Open circuits are re-checked every minute by <see cref="StaffSessionRevalidation"/>.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Properties.Items.TryGetValue(SessionCheckedAtItem, out var checkedAt)
            && DateTimeOffset.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
            && now - last < SessionCheckInterval && last <= now)
        {
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        if (context.Principal is null || !await IsCurrentAsync(users, context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.Properties.Items[SessionCheckedAtItem] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    /// <summary>
    /// Turns the provider's identity into a clinic session: the embedded provider names the user by id (<c>sub</c>);
    /// an external one is matched by e-mail to a local user, when it says the e-mail is verified. Nobody else gets a session.
    /// </summary>
    private static async Task ToClinicSessionAsync(TicketReceivedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var users = services.GetRequiredService<UserService>();
        var settings = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StaffSignInOptions>>().Value;
        var principal = context.Principal ?? new ClaimsPrincipal();
        var cancellationToken = context.HttpContext.RequestAborted;

        SignInUser? user;
        if (settings.UsesExternalProvider)
        {
            if (settings.Oidc.RequireVerifiedEmail && !HasVerifiedEmail(principal))
            {
                context.Response.Redirect(SignInFailedPath + "?reason=" + UnverifiedEmailReason);
                context.HandleResponse();
                return;
            }

            user = await users.FindForSignInByEmailAsync(principal.FindFirstValue(settings.Oidc.EmailClaim), cancellationToken);
        }
        else
        {
            user = int.TryParse(principal.FindFirstValue("sub"), out var userId) ? await users.FindForSignInAsync(userId, cancellationToken) : null;
        }

        if (user is null)
        {
            context.Response.Redirect(NotRegisteredPath);
            context.HandleResponse();
            return;
        }

        if (!user.IsActive)
        {
            context.Response.Redirect(SignInFailedPath + "?reason=disabled");
            context.HandleResponse();
            return;
        }

        context.Principal = ClinicClaims.CreatePrincipal(user);

        // The session keeps the ID token alone, as the provider's sign-out hint. The access and refresh tokens are
        // never used here, and the cookie rides on every request and stays in memory, as a header of the circuit's
        // connection, for as long as each open tab is.
        if (context.Properties is { } properties)
        {
            properties.StoreTokens([.. properties.GetTokens().Where(token => token.Name == "id_token")]);
        }
    }

    /// <summary>Whether the provider vouches for the e-mail: <c>email_verified</c> true, as a JSON boolean or the string "true".</summary>
    internal static bool HasVerifiedEmail(ClaimsPrincipal principal) =>
        principal.FindAll(EmailVerifiedClaim).Any(claim => string.Equals(claim.Value, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Re-checks an open circuit's user every minute, so disabling a user or resetting a password ends their open pages too.</summary>
    private sealed class StaffSessionRevalidation(ILoggerFactory loggerFactory, UserService users)
        : RevalidatingServerAuthenticationStateProvider(loggerFactory)
    {
        protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

        protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
            IsCurrentAsync(users, authenticationState.User, cancellationToken);
    }
}
