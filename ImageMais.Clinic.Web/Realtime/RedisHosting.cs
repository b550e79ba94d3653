using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Scale-out: with <c>Redis:ConnectionString</c>, account events are shared between instances
/// through Redis (<see cref="RedisEventBus"/>), Data Protection keys are kept in Redis so a cookie or an
/// antiforgery token made by one instance is read by any other, and <c>/health/ready</c> checks Redis. Without it
/// nothing changes: events stay in process, keys stay where ASP.NET Core keeps them by default.
/// </summary>
/// <remarks>
/// The hub needs no SignalR Redis backplane: it sends nothing but account events, and every instance hands
/// every event to its own connections. The backplane would route even an instance's own sends through Redis
/// (losing them all while Redis is down) and, beside the event channel, send each event twice.
/// The access-token signing key is already shared through the database.
/// </remarks>
public static class RedisHosting
{
    /// <summary>Data Protection's application name with Redis: the same on every instance, whatever its content root.</summary>
    public const string ApplicationName = "ImageMais.Clinic";

    public static WebApplicationBuilder AddClinicScaleOut(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(RedisOptions.SectionName);
        services.Configure<RedisOptions>(section);
        var options = section.Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
        {
            return builder;
        }

        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisEventBus>();
        services.AddSingleton<IAccountEventObserver>(sp => sp.GetRequiredService<RedisEventBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisEventBus>());

        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<RedisConnection, IOptions<RedisOptions>>((keys, redis, redisOptions) =>
            keys.XmlRepository = new RedisXmlRepository(
                () => redis.ConnectAsync().GetAwaiter().GetResult().GetDatabase(),
                redisOptions.Value.DataProtectionKey));

        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthHosting.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}

/// <summary>Redis answers a ping on both of the instance's connections (commands and subscriptions).</summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var multiplexer = await connection.ConnectAsync().WaitAsync(cancellationToken);
        if (!multiplexer.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable: instances hear each other's events from the event log, a second or two late.");
        }

        try
        {
            var latency = await multiplexer.GetDatabase().PingAsync();
            await multiplexer.GetSubscriber().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer: instances hear each other's events from the event log, a second or two late.", ex);
        }
    }
}
