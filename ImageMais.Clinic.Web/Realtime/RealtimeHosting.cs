using System.Text.Json;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Hubs;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// The public real-time side: the hub at <c>/hubs/accounts</c> and what sends it the account events, the sweeper
/// that delivers from the event log what reached this instance no other way (and prunes it), the watcher that
/// closes connections of revoked tokens, and the sample client under <c>/samples/</c>.
/// </summary>
public static class RealtimeHosting
{
    public static WebApplicationBuilder AddClinicRealtime(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<RealtimeOptions>(builder.Configuration.GetSection(RealtimeOptions.SectionName));
        services.AddSignalR().AddMessagePackProtocol();

        // Hub payloads are written with the REST API's JSON settings, so an event carries exactly the body the
        // API answered (camelCase, prices as strings, times with Z), under either protocol.
        services.AddOptions<JsonHubProtocolOptions>().Configure<IOptions<JsonOptions>>((hub, api) =>
            hub.PayloadSerializerOptions = new JsonSerializerOptions(api.Value.SerializerOptions));
        services.AddOptions<MessagePackHubProtocolOptions>().Configure<IOptions<JsonOptions>>((hub, api) =>
            hub.SerializerOptions = MessagePackSerializerOptions.Standard
                .WithResolver(CompositeResolver.Create(
                    new JsonShapedMessagePackResolver(new JsonSerializerOptions(api.Value.SerializerOptions)),
                    DynamicEnumAsStringResolver.Instance,
                    ContractlessStandardResolver.Instance))
                .WithSecurity(MessagePackSecurity.UntrustedData));

        services.AddSingleton<LiveHubConnections>();
        services.AddSingleton<HubEventDelivery>();
        services.Configure<EventLogOptions>(builder.Configuration.GetSection(EventLogOptions.SectionName));
        services.AddHostedService<EventLogSweeper>();
        services.AddSingleton<AccessTokenRevocationWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessTokenRevocationWatcher>());
        return builder;
    }

    public static WebApplication MapClinicRealtime(this WebApplication app)
    {
        app.MapHub<AccountsHub>(AccountsHub.Path, options => options.CloseOnAuthenticationExpiration = true);
        app.UseSamples();
        return app;
    }

    /// <summary>
    /// Serves the sample clients copied beside the app by the build (<c>samples/</c>), with the
    /// <c>@microsoft/signalr</c> browser bundle that the build takes from npm into <c>samples/lib/</c>.
    /// </summary>
    private static void UseSamples(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "samples");
        if (!Directory.Exists(folder))
        {
            return;
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = "/samples",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
