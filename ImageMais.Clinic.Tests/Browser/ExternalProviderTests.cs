using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Users;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>
/// Sign-in through an external OpenID provider: a second app instance is configured with the first one as its
/// authority (a real provider over HTTP: discovery, code + PKCE, client secret, userinfo), and matches the
/// provider's users to its own by e-mail.
/// </summary>
public sealed class ExternalProviderTests(ClinicApp provider, BrowserFixture browser) : BrowserTest(browser), IClassFixture<ClinicApp>, IClassFixture<BrowserFixture>
{
    // The provider is shared by the class's tests; each test's app is a client of its own.
    private readonly string _clientId = $"clinic-external-{Guid.NewGuid():N}";
    private const string ClientSecret = "a-long-client-secret-for-the-test-only";

    private ClinicApp _app = null!;

    public override async Task InitializeAsync()
    {
        _app = new ConfiguredClinicApp(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Authority"] = provider.BaseAddress.ToString(),
            ["Authentication:Oidc:ClientId"] = _clientId,
            ["Authentication:Oidc:ClientSecret"] = ClientSecret,
            ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
        });
        await _app.InitializeAsync();
        await RegisterClientAtProviderAsync(_app, _clientId);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_provider_user_with_a_clinic_users_email_signs_in_as_that_clinic_user()
    {
        var email = $"ext-{Guid.NewGuid():N}@example.com";
        var providerPassword = await CreateProviderUserAsync(email);
        var clinic = await _app.CreateAccountAsync("Clínica Externa");
        Assert.True((await _app.GetService<UserService>().CreateAsync(clinic.AccountId, new NewUserInput(email, "Rita Externa", UserRole.Staff))).Succeeded);
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(new Uri(_app.BaseAddress, "/account/signin?returnUrl=%2Faccess-denied").ToString());
        Assert.StartsWith(provider.BaseAddress.ToString(), page.Url, StringComparison.Ordinal);
        await page.SubmitLoginAsync(email, providerPassword);

        await page.WaitForURLAsync(new Uri(_app.BaseAddress, "/access-denied").ToString());
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("clinic-name")).ToHaveTextAsync("Clínica Externa");
        await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Rita Externa");
    }

    [Fact]
    public async Task A_provider_user_unknown_to_every_clinic_gets_the_not_registered_page()
    {
        var email = $"stranger-{Guid.NewGuid():N}@example.com";
        var providerPassword = await CreateProviderUserAsync(email);
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(new Uri(_app.BaseAddress, "/account/signin").ToString());
        await page.SubmitLoginAsync(email, providerPassword);

        await page.WaitForURLAsync(new Uri(_app.BaseAddress, "/account/not-registered").ToString());
        await Assertions.Expect(page.GetByTestId("not-registered")).ToContainTextAsync("não cadastrado em nenhuma clínica");

        // No session was opened: asking for a page goes through the provider again, and ends on the same answer.
        await page.GotoAsync(new Uri(_app.BaseAddress, "/users").ToString());
        await page.WaitForURLAsync(new Uri(_app.BaseAddress, "/account/not-registered").ToString());
    }

    [Fact]
    public async Task A_provider_user_whose_email_the_provider_does_not_vouch_for_is_refused()
    {
        // The provider says the e-mail is verified only at its userinfo endpoint, which this client does not ask.
        var clientId = $"clinic-unverified-{Guid.NewGuid():N}";
        await using var app = new ConfiguredClinicApp(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Authority"] = provider.BaseAddress.ToString(),
            ["Authentication:Oidc:ClientId"] = clientId,
            ["Authentication:Oidc:ClientSecret"] = ClientSecret,
            ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
            ["Authentication:Oidc:GetClaimsFromUserInfoEndpoint"] = "false",
        });
        await app.InitializeAsync();
        await RegisterClientAtProviderAsync(app, clientId);
        var email = $"unverified-{Guid.NewGuid():N}@example.com";
        var providerPassword = await CreateProviderUserAsync(email);
        var clinic = await app.CreateAccountAsync();
        Assert.True((await app.GetService<UserService>().CreateAsync(clinic.AccountId, new NewUserInput(email, "Rita Externa", UserRole.Master))).Succeeded);
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "/account/signin").ToString());
        await page.SubmitLoginAsync(email, providerPassword);

        await page.WaitForURLAsync(new Uri(app.BaseAddress, $"{StaffSignIn.SignInFailedPath}?reason={StaffSignIn.UnverifiedEmailReason}").ToString());
        await Assertions.Expect(page.GetByTestId("sign-in-failed-reason")).ToContainTextAsync("não confirmou que este e-mail é seu");
    }

    /// <summary>A user of the provider (an account of its own), who signs in there with this password.</summary>
    private async Task<string> CreateProviderUserAsync(string email)
    {
        var account = await provider.CreateAccountAsync();
        var created = await provider.GetService<UserService>().CreateAsync(account.AccountId, new NewUserInput(email, "Provider user", UserRole.Staff));
        return created.Value?.Password ?? throw new InvalidOperationException(created.Failure!.Message);
    }

    private async Task RegisterClientAtProviderAsync(ClinicApp client, string clientId)
    {
        await using var scope = provider.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Clinic app under test",
            RedirectUris = { new Uri(client.BaseAddress, StaffSignIn.CallbackPath) },
            PostLogoutRedirectUris = { new Uri(client.BaseAddress, StaffSignIn.SignedOutCallbackPath) },
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
        });
    }

    private sealed class ConfiguredClinicApp(IDictionary<string, string?> settings) : ClinicApp(settings);
}
