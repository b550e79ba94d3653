using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>Behind a reverse proxy (section <c>ForwardedHeaders</c>).</summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Read <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from trusted proxies.</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies trusted besides loopback, e.g. <c>["10.0.0.5"]</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>["172.28.0.0/16"]</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row to read back through (entries of <c>X-Forwarded-For</c>).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>
/// Takes the client's address and scheme from a trusted proxy's <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>,
/// so logs, rate limiting by address and generated links see the real client and <c>https</c>. Headers from
/// any other sender are ignored. Off unless <c>ForwardedHeaders:Enabled</c> is true.
/// </summary>
public static class ForwardedHeadersHosting
{
    public static IServiceCollection AddClinicForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersSettings>(configuration.GetSection(ForwardedHeadersSettings.SectionName));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, configured) =>
        {
            var settings = configured.Value;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = settings.ForwardLimit;
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so everything after it sees the client as the proxy saw it.</summary>
    public static WebApplication UseClinicForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
