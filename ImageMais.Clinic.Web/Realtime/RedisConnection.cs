using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// The instance's one connection to Redis (a multiplexer shares it between the event channel, Data Protection
/// keys and the health check). Set up so that Redis never holds a request up: connecting does not fail the
/// start when Redis is down, commands fail fast while it is unreachable instead of queueing, and timeouts are
/// short. The multiplexer reconnects (and resubscribes) by itself; an outage is logged once, when it starts,
/// and once more when it ends.
/// </summary>
public sealed partial class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private int _down;

    /// <summary>The multiplexer, connecting on first use; completes within the connect timeout even when Redis is down.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync()
    {
        lock (_lock)
        {
            return _connecting ??= ConnectCoreAsync();
        }
    }

    /// <summary>The settings a multiplexer gets from <see cref="RedisOptions.ConnectionString"/>, with the fault behaviour above.</summary>
    public static ConfigurationOptions Configuration(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "imagemais-clinic";
        if (!Mentions(connectionString, "connectTimeout"))
        {
            configuration.ConnectTimeout = 3_000;
        }

        if (!Mentions(connectionString, "asyncTimeout"))
        {
            configuration.AsyncTimeout = 2_000;
        }

        if (!Mentions(connectionString, "syncTimeout"))
        {
            configuration.SyncTimeout = 2_000;
        }

        return configuration;

        static bool Mentions(string text, string key) => text.Contains(key + "=", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<ConnectionMultiplexer> ConnectCoreAsync()
    {
        var connectionString = options.Value.ConnectionString
            ?? throw new InvalidOperationException("Redis:ConnectionString is not set.");
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(Configuration(connectionString));
        multiplexer.ConnectionFailed += (_, e) => MarkDown(e.EndPoint, e.FailureType, e.Exception);
        multiplexer.ConnectionRestored += (_, e) => MarkUp(e.EndPoint);
        if (!multiplexer.IsConnected)
        {
            MarkDown(null, ConnectionFailureType.UnableToConnect, null);
        }

        return multiplexer;
    }

    /// <summary>Called by users of the connection when a command failed: starts an outage if none is logged yet.</summary>
    public void ReportFailure(Exception exception) => MarkDown(null, ConnectionFailureType.None, exception);

    /// <summary>Called by users of the connection when a command succeeded: ends an outage (one a timeout began, too).</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _down) == 1)
        {
            MarkUp(null);
        }
    }

    private void MarkDown(System.Net.EndPoint? endPoint, ConnectionFailureType failure, Exception? exception)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogOutage(exception, endPoint?.ToString() ?? options.Value.ConnectionString?.Split(',')[0] ?? "?", failure);
        }
    }

    private void MarkUp(System.Net.EndPoint? endPoint)
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogRestored(endPoint?.ToString() ?? "?");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_lock)
        {
            connecting = _connecting;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            await connecting.Result.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {EndPoint} is unreachable ({Failure}): the other instances' events come from the event log (within a second or two) until it returns")]
    private partial void LogOutage(Exception? exception, string endPoint, ConnectionFailureType failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {EndPoint} is reachable again: events are shared with the other instances")]
    private partial void LogRestored(string endPoint);
}
