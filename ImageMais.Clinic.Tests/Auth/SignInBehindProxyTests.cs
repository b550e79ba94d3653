using System.Net;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Auth;

namespace ImageMais.Clinic.Tests.Auth;

/// <summary>
/// Sign-in as it runs behind a reverse proxy that terminates TLS (docs/deploy.md): the browser knows only the
/// public https name, the app listens on plain HTTP and learns the scheme from <c>X-Forwarded-Proto</c>.
/// The test's client plays the proxy: every request carries the public <c>Host</c> and the forwarded scheme.
/// </summary>
public sealed partial class SignInBehindProxyTests(SignInBehindProxyTests.ProxiedClinicApp app) : IClassFixture<SignInBehindProxyTests.ProxiedClinicApp>
{
    private const string PublicHost = "clinic.example";

    [Fact]
    public async Task A_user_signs_in_under_the_public_https_name_though_that_name_does_not_reach_the_app()
    {
        var account = await app.CreateAccountAsync();
        using var proxy = new ProxyClient(app.BaseAddress);

        var path = "/account/signin?returnUrl=%2Fdoctors";
        for (var hop = 0; hop < 10 && path != "/doctors"; hop++)
        {
            using var response = await proxy.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK && path.StartsWith(EmbeddedOpenIdProvider.LoginPath, StringComparison.Ordinal))
            {
                var form = await response.Content.ReadAsStringAsync();
                using var posted = await proxy.PostAsync(path, new Dictionary<string, string>
                {
                    ["_handler"] = "login",
                    ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups["token"].Value,
                    ["Input.Email"] = account.MasterEmail,
                    ["Input.Password"] = account.MasterPassword,
                });
                path = proxy.NextPath(posted);
                continue;
            }

            path = proxy.NextPath(response);
        }

        Assert.Equal("/doctors", path);
        Assert.True(proxy.HasCookie("__clinic_session"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Sends what a TLS-terminating proxy would, and keeps the cookies a browser on the public name would.</summary>
    private sealed class ProxyClient(Uri app) : IDisposable
    {
        private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app };
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

        public bool HasCookie(string name) => _cookies.ContainsKey(name);

        /// <summary>The path of a redirect, which must stay on the public https name.</summary>
        public string NextPath(HttpResponseMessage response)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"{response.RequestMessage?.RequestUri} answered {response.StatusCode}");
            var location = response.Headers.Location!;
            if (!location.IsAbsoluteUri)
            {
                return location.OriginalString;
            }

            Assert.Equal($"https://{PublicHost}", location.GetLeftPart(UriPartial.Authority));
            return location.PathAndQuery;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            using (request)
            {
                request.Headers.Host = PublicHost;
                request.Headers.Add("X-Forwarded-Proto", "https");
                request.Headers.Add("X-Forwarded-For", "203.0.113.7");
                if (_cookies.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(cookie => $"{cookie.Key}={cookie.Value}")));
                }

                var response = await _client.SendAsync(request);
                foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
                {
                    var pair = header.Split(';', 2)[0].Split('=', 2);
                    if (pair[1].Length == 0)
                    {
                        _cookies.Remove(pair[0]);
                    }
                    else
                    {
                        _cookies[pair[0]] = pair[1];
                    }
                }

                return response;
            }
        }

        public void Dispose() => _client.Dispose();
    }

    /// <summary>The app with forwarded headers read, as deployed behind the proxy (loopback, the test's client, is trusted).</summary>
    public sealed class ProxiedClinicApp() : ClinicApp(new Dictionary<string, string?> { ["ForwardedHeaders:Enabled"] = "true" });
}
