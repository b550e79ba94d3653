using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>Telemetry export (section <c>OpenTelemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>
    /// The OTLP collector, e.g. <c>http://otel-collector:4317</c>. The standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// variable works too; with neither, nothing is exported (metrics stay readable with <c>dotnet-counters</c>).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>OTLP over <c>grpc</c> (port 4317, the default) or <c>http/protobuf</c> (port 4318).</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> of the exported data.</summary>
    public string ServiceName { get; set; } = "imagemais-clinic";
}

/// <summary>
/// Metrics, traces and logs. The app's own meter (<see cref="ClinicTelemetry"/>) is always there; OpenTelemetry
/// (ASP.NET Core, HttpClient, runtime, SignalR and Blazor meters, the app's traces, logs with their scopes)
/// is exported over OTLP only when an endpoint is configured. Every API request and hub connection logs within
/// a scope carrying its <c>AccountId</c> and <c>AccessTokenId</c>.
/// </summary>
public static class TelemetryHosting
{
    public static WebApplicationBuilder AddClinicTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ClinicTelemetry>();
        services.AddSingleton<IAccountEventObserver>(sp => sp.GetRequiredService<ClinicTelemetry>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCounter>());

        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = options.Endpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var protocol = options.Protocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
            : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddMeter(ClinicTelemetry.Name)
                .AddMeter("Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Components.Server.Circuits", "Microsoft.AspNetCore.RateLimiting")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(ClinicTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !HealthHosting.IsHealthPath(context.Request.Path))
                .AddHttpClientInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            })
            .UseOtlpExporter(protocol, new Uri(endpoint));
        return builder;
    }

    /// <summary>After authentication: logs of an API request or hub connection carry the account and token.</summary>
    public static WebApplication UseAccountLogScopes(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImageMais.Clinic.Requests");
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true
                && context.User.FindFirst(Clinic.Features.AccessTokens.AccessTokenClaims.AccountId)?.Value is { } accountId)
            {
                using (logger.BeginScope(new Dictionary<string, object?>
                {
                    ["AccountId"] = int.TryParse(accountId, out var id) ? id : accountId,
                    ["AccessTokenId"] = context.User.GetAccessTokenId(),
                }))
                {
                    await next(context);
                }

                return;
            }

            await next(context);
        });
        return app;
    }
}

/// <summary>Counts the Blazor circuits open on this instance.</summary>
public sealed class CircuitCounter(ClinicTelemetry telemetry) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        telemetry.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        telemetry.CircuitClosed();
        return Task.CompletedTask;
    }
}
