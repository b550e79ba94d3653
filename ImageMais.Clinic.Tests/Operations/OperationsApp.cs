using System.Collections.Concurrent;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Operations;

/// <summary>
/// The app as run behind a proxy with small rate limits; it records, for each request marked with a
/// <c>X-Test-Request</c> id, the client address and scheme the app saw once its middleware ran.
/// </summary>
public sealed class OperationsApp : ClinicApp
{
    public const int ApiLimit = 3;
    public const int NegotiationLimit = 2;

    public OperationsApp()
        : base(new Dictionary<string, string?>
        {
            ["RateLimiting:Api:PermitLimit"] = ApiLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:Api:Window"] = "00:10:00",
            ["RateLimiting:HubNegotiation:PermitLimit"] = NegotiationLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:HubNegotiation:Window"] = "00:10:00",
            ["ForwardedHeaders:Enabled"] = "true",
        })
    {
    }

    public ConcurrentDictionary<string, (string? RemoteIp, string Scheme)> SeenClients { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new ClientRecorder(SeenClients)));
    }

    private sealed class ClientRecorder(ConcurrentDictionary<string, (string?, string)> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Runs around the whole pipeline, so it reads what the app's middleware left on the request.
            app.Use(async (context, inner) =>
            {
                await inner(context);
                if (context.Request.Headers["X-Test-Request"] is { Count: 1 } id)
                {
                    seen[id!] = (context.Connection.RemoteIpAddress?.ToString(), context.Request.Scheme);
                }
            });
            next(app);
        };
    }
}
