using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Tests.Auth;

/// <summary>The sign-in endpoints over plain HTTP: what a browser would be told, without a browser.</summary>
public sealed class SignInEndpointTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task A_master_page_sends_an_anonymous_visitor_to_the_embedded_provider_with_pkce()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(new Uri(app.BaseAddress, EmbeddedOpenIdProvider.AuthorizationPath).GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
        Assert.Contains("code_challenge_method=S256", location.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", location.Query, StringComparison.Ordinal);
        Assert.Contains($"client_id={EmbeddedOpenIdProvider.OwnClientId}", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_publishes_its_metadata_with_the_app_as_issuer()
    {
        using var client = app.CreateAnonymousClient();

        var discovery = await client.GetStringAsync("/.well-known/openid-configuration");

        Assert.Contains($"\"issuer\": \"{app.BaseAddress}\"", discovery.Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("/connect/token", discovery, StringComparison.Ordinal);
        Assert.Contains("/connect/logout", discovery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authorization_endpoint_refuses_a_foreign_redirect_uri_for_the_apps_own_client()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync(
            $"{EmbeddedOpenIdProvider.AuthorizationPath}?client_id={EmbeddedOpenIdProvider.OwnClientId}&response_type=code&scope=openid" +
            "&redirect_uri=https%3A%2F%2Fevil.example%2Fsignin-oidc&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr&code_challenge_method=S256");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_end_session_endpoint_refuses_a_foreign_post_logout_redirect_uri()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync(
            $"{EmbeddedOpenIdProvider.EndSessionPath}?client_id={EmbeddedOpenIdProvider.OwnClientId}&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Posting_the_login_form_without_its_antiforgery_token_is_refused()
    {
        var account = await app.CreateAccountAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = account.MasterEmail,
            ["Input.Password"] = account.MasterPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("__clinic_provider", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Signing_out_without_the_antiforgery_token_is_refused()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.PostAsync(StaffSignIn.SignOutPath, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/users", "/users")]
    [InlineData("/doctors?search=ana", "/doctors?search=ana")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData(null, "/")]
    public void Only_local_paths_are_returned_to_after_sign_in(string? requested, string expected) =>
        Assert.Equal(expected, StaffSignIn.LocalOrRoot(requested));

    [Theory]
    [InlineData("true", ClaimValueTypes.Boolean, true)]
    [InlineData("True", ClaimValueTypes.String, true)]
    [InlineData("false", ClaimValueTypes.Boolean, false)]
    [InlineData("yes", ClaimValueTypes.String, false)]
    [InlineData(null, null, false)]
    public void An_external_identitys_email_counts_as_verified_only_when_the_provider_says_true(string? value, string? valueType, bool verified)
    {
        var identity = new ClaimsIdentity([new Claim("email", "ana@example.com")], "external");
        if (value is not null)
        {
            identity.AddClaim(new Claim("email_verified", value, valueType));
        }

        Assert.Equal(verified, StaffSignIn.HasVerifiedEmail(new ClaimsPrincipal(identity)));
    }

    [Fact]
    public async Task The_providers_encryption_key_is_generated_once_and_kept_in_the_database()
    {
        await using var db = app.GetService<ClinicDb>().ForSystem();

        var keys = await db.ServerKeys.AsNoTracking().Where(k => k.Name.StartsWith("oidc/")).Select(k => k.Name).ToListAsync();

        // The signing key comes from configuration in the tests (shared by every test app), so only the
        // encryption key was generated and stored.
        Assert.Equal([EmbeddedProviderKeys.EncryptionKeyName], keys);
        Assert.Equal(app.GetService<EmbeddedProviderKeys>().EncryptionKey.Key, Convert.FromBase64String(
            await db.ServerKeys.Where(k => k.Name == EmbeddedProviderKeys.EncryptionKeyName).Select(k => k.Value).SingleAsync()));
    }

    [Fact]
    public async Task A_sign_in_callback_naming_another_host_sends_nothing_to_that_host()
    {
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        using var stopListening = new CancellationTokenSource();
        var connected = elsewhere.AcceptTcpClientAsync(stopListening.Token).AsTask();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };
        using var challenge = await client.GetAsync(StaffSignIn.SignInPath);
        var state = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query)["state"].ToString();

        // A real sign-in's state and correlation cookie, and a Host naming a server of the sender's choice.
        using var callback = new HttpRequestMessage(HttpMethod.Get, $"{StaffSignIn.CallbackPath}?code=forged&state={Uri.EscapeDataString(state)}");
        callback.Headers.Host = $"127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}";
        var answered = client.SendAsync(callback);
        var first = await Task.WhenAny(connected, answered).WaitAsync(TimeSpan.FromSeconds(30));
        stopListening.Cancel();

        Assert.Same(answered, first);
        using var response = await answered;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(StaffSignIn.SignInFailedPath, response.Headers.Location!.OriginalString);
        Assert.False(elsewhere.Pending());
    }
}
