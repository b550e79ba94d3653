using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImageMais.Clinic.BenchKit;

namespace ImageMais.Clinic.ScaleBench;

/// <summary>
/// A real deployment on this machine: redis-server and two app processes (Release build, Production) on their
/// own loopback ports, sharing one SQLite file, one signing key and Redis, as instances behind a load balancer.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly BenchDatabase _database = BenchDatabase.Create("imagemais-scalebench");
    private readonly List<ClinicInstance> _apps = [];
    private ChildProcess? _redis;

    public IReadOnlyList<Uri> Instances => [.. _apps.Select(app => app.Url)];

    public IReadOnlyList<int> Pids => [.. _apps.Select(app => app.Pid)];

    public static async Task<Cluster> StartAsync(bool build)
    {
        var cluster = new Cluster();
        try
        {
            await cluster.StartCoreAsync(build);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(bool build)
    {
        var dll = await ClinicInstance.ReleaseBuildAsync(build);
        var redisPort = Network.FreePort();
        _redis = ChildProcess.Start("redis-server", ["--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], "redis", workingDirectory: _database.Folder, quietOutput: true);
        await WaitForPortAsync(redisPort);

        var environment = _database.AppEnvironment();
        environment["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}";
        foreach (var name in new[] { "A", "B" })
        {
            // One after the other: the first migrates the shared file, the second finds it up to date.
            _apps.Add(await ClinicInstance.StartAsync(dll, environment, name));
        }

        await _database.LoadSigningKeyAsync();
    }

    /// <summary>A new account and an access token of it, made in the shared database as the CLI would.</summary>
    public async Task<string> CreateAccountWithTokenAsync(int number) =>
        (await _database.CreateAccountWithTokenAsync($"Clínica Escala {number}", $"scale{number}-{Guid.NewGuid():N}@example.com")).Token;

    private static async Task WaitForPortAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("redis-server did not start (is it installed? apt-get install redis-server).");
    }

    public async ValueTask DisposeAsync()
    {
        // The apps first, then Redis, each by its own process id.
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}
