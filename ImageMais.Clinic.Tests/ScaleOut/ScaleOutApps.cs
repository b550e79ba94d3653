using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>
/// One app instance of a scaled-out deployment: its own Kestrel port, Redis, and (for the second instance) the
/// first instance's SQLite file, so both share one database as instances behind a load balancer do.
/// </summary>
public sealed class ScaleOutApp : ClinicApp
{
    private readonly string? _sharedDatabase;

    public ScaleOutApp(string redisConnectionString, string? sharedDatabase = null)
        : base(new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redisConnectionString,
            ["Redis:ChannelPrefix"] = "imagemais-tests",
        })
    {
        _sharedDatabase = sharedDatabase;
    }

    /// <summary>Completes a connection's task once the hub has put it in its account's group.</summary>
    public JoinedConnections Joined { get; } = new();

    /// <summary>The warnings and errors this instance logged.</summary>
    public CapturedLogs Warnings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_sharedDatabase is not null)
        {
            builder.UseSetting("ConnectionStrings:Clinic", $"Data Source={_sharedDatabase}");
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Warnings).AddFilter<CapturedLogs>(null, LogLevel.Warning));
        builder.ConfigureTestServices(services => services.Configure<HubOptions>(options => options.AddFilter(Joined)));
    }

    /// <summary>A hub client of this instance for <paramref name="token"/>, in its account's group when this returns.</summary>
    public async Task<HubListener> ListenAsync(string token)
    {
        var listener = HubListener.Create(BaseAddress, token);
        await listener.Connection.StartAsync().WaitAsync(HubListener.Timeout);
        await Joined.WhenJoined(listener.Connection.ConnectionId!).WaitAsync(HubListener.Timeout);
        return listener;
    }

    /// <summary>Status and body of <c>/health/ready</c>.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> ReadinessAsync()
    {
        using var client = CreateAnonymousClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}

/// <summary>Redis and two instances of the app sharing it and one database. Each test class gets its own.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string EventsChannel = "imagemais-tests:events";

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    public RedisServer Redis { get; private set; } = null!;

    public ScaleOutApp A { get; private set; } = null!;

    public ScaleOutApp B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        A = new ScaleOutApp(Redis.ConnectionString);
        await A.InitializeAsync();
        B = new ScaleOutApp(Redis.ConnectionString, sharedDatabase: A.DatabasePath);
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        // Redis is stopped (by its process id) whatever happens to the instances' shutdown.
        try
        {
            try
            {
                await B.DisposeAsync();
            }
            finally
            {
                await A.DisposeAsync();
            }
        }
        finally
        {
            await Redis.DisposeAsync();
        }
    }

    /// <summary>Waits until Redis counts <paramref name="subscribers"/> subscriptions to the events channel (both instances listening).</summary>
    public Task WhenSubscribedAsync(int subscribers = 2) => WhenSubscribedAsync(Redis, subscribers);

    /// <summary>Waits until <paramref name="redis"/> counts <paramref name="subscribers"/> subscriptions to the events channel.</summary>
    public static async Task WhenSubscribedAsync(RedisServer redis, int subscribers = 2)
    {
        await using var observer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var server = observer.GetServer(observer.GetEndPoints()[0]);
        await Eventually.UntilAsync(
            async () => (long)((RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", EventsChannel))!)[1] >= subscribers,
            WaitTimeout,
            $"Redis counts {subscribers} subscriptions to the events channel");
    }

    /// <summary>Waits until <paramref name="app"/>'s readiness answers <paramref name="expected"/>, and returns its body.</summary>
    public static async Task<JsonNode> WhenReadinessIsAsync(ScaleOutApp app, HttpStatusCode expected)
    {
        JsonNode? body = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var (status, answer) = await app.ReadinessAsync();
                body = answer;
                return status == expected;
            },
            WaitTimeout,
            $"{app.BaseAddress} answers readiness with {(int)expected}");
        return body!;
    }
}
