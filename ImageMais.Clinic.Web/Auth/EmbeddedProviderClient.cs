using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// The embedded provider's metadata as the app's own client sees it, built in process for the origin the request
/// came to: the provider and the client are the same app, reachable under whatever name the browser used
/// (localhost, a test port, the public name behind a proxy), and the browser must be sent to that name.
/// The request's <c>Host</c> is the sender's to choose, so nothing here is ever fetched from it: the client's
/// server-side calls go to the app itself (<see cref="OwnAddressBackchannel"/>).
/// </summary>
internal sealed class EmbeddedProviderConfiguration(IHttpContextAccessor http, EmbeddedProviderKeys keys) : IConfigurationManager<OpenIdConnectConfiguration>
{
    // Names a request may claim are unbounded; the few real ones are kept, any others are built each time.
    private const int MaxCachedOrigins = 16;

    private readonly ConcurrentDictionary<string, OpenIdConnectConfiguration> _byOrigin = new(StringComparer.Ordinal);

    public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var request = http.HttpContext?.Request ?? throw new InvalidOperationException("The embedded provider's metadata is built for a request.");
        var origin = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}", UriKind.Absolute).AbsoluteUri;
        if (_byOrigin.TryGetValue(origin, out var cached))
        {
            return Task.FromResult(cached);
        }

        var configuration = Build(origin);
        if (_byOrigin.Count < MaxCachedOrigins)
        {
            _byOrigin.TryAdd(origin, configuration);
        }

        return Task.FromResult(configuration);
    }

    public void RequestRefresh()
    {
    }

    private OpenIdConnectConfiguration Build(string origin)
    {
        var root = origin.TrimEnd('/');
        var configuration = new OpenIdConnectConfiguration
        {
            Issuer = origin,
            AuthorizationEndpoint = root + EmbeddedOpenIdProvider.AuthorizationPath,
            TokenEndpoint = root + EmbeddedOpenIdProvider.TokenPath,
            UserInfoEndpoint = root + EmbeddedOpenIdProvider.UserInfoPath,
            EndSessionEndpoint = root + EmbeddedOpenIdProvider.EndSessionPath,
        };
        configuration.SigningKeys.Add(keys.PublicSigningKey);
        return configuration;
    }
}

/// <summary>
/// Carries the app's own client's server-side calls to the embedded provider (the code redemption) to this app's
/// own listening address, whatever host the request named. The origin the browser used goes along as the
/// <c>Host</c> (and, when this app listens on another scheme, as <c>X-Forwarded-Proto</c>, as a proxy in front
/// would send it), so the provider answers as it did to the browser: same issuer, same HTTPS rule. A forged
/// <c>Host</c> thus reaches nobody but the app itself, which refuses it.
/// </summary>
internal sealed class OwnAddressBackchannel(IServer server) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri ?? throw new InvalidOperationException("A back-channel request has an address.");
        var own = OwnAddress(target.Scheme);
        request.Headers.Host = target.Authority;
        if (!string.Equals(own.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Remove("X-Forwarded-Proto");
            request.Headers.Add("X-Forwarded-Proto", target.Scheme);
        }

        request.RequestUri = new Uri(own, target.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Where this app listens, preferring the scheme asked for; addresses of every interface are reached on loopback.</summary>
    private Uri OwnAddress(string scheme)
    {
        var addresses = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(address => Uri.TryCreate(
                address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal),
                UriKind.Absolute,
                out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(uri => uri.Scheme is "http" or "https")
            .ToList();
        var chosen = addresses.FirstOrDefault(uri => string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault(uri => uri.Scheme == "http")
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The app is not listening on any HTTP address yet.");
        // A wildcard (+, *, 0.0.0.0, [::]), localhost or a name: Kestrel listens on loopback too.
        var host = chosen.HostNameType switch
        {
            UriHostNameType.IPv4 when chosen.Host != "0.0.0.0" => chosen.Host,
            UriHostNameType.IPv6 when chosen.Host != "[::]" => chosen.Host,
            _ => "127.0.0.1",
        };
        return new UriBuilder(chosen.Scheme, host, chosen.Port).Uri;
    }
}
