using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.ScaleBench;

/// <summary>
/// A real deployment on this machine: redis-server and two app processes (Release build, Production) on their
/// own loopback ports, sharing one SQLite file, one signing key and Redis, as instances behind a load balancer.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "imagemais-scalebench", Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;

    public IReadOnlyList<Uri> Instances { get; private set; } = [];

    public IReadOnlyList<int> Pids => [.. _processes.Skip(1).Select(p => p.Id)];

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
        var project = Path.Combine(RepositoryRoot(), "ImageMais.Clinic.Web");
        if (build)
        {
            Console.WriteLine("Building ImageMais.Clinic.Web in Release…");
            using var builder = Process.Start("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q"]);
            await builder.WaitForExitAsync();
            if (builder.ExitCode != 0)
            {
                throw new InvalidOperationException("The Release build failed.");
            }
        }

        var dll = Path.Combine(project, "bin", "Release", "net10.0", "ImageMais.Clinic.Web.dll");
        Directory.CreateDirectory(_folder);
        var redisPort = FreePort();
        var redis = Start("redis-server", ["--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], new Dictionary<string, string>(), "redis");
        await WaitForPortAsync(redisPort);

        var connectionString = $"Data Source={Path.Combine(_folder, "clinic.db")}";
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Clinic"] = connectionString,
            ["AccessTokens__SigningKey"] = signingKey,
            ["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}",
            ["RateLimiting__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var instances = new List<Uri>();
        foreach (var name in new[] { "A", "B" })
        {
            // One after the other: the first migrates the shared file, the second finds it up to date.
            var url = new Uri($"http://127.0.0.1:{FreePort()}");
            Start("dotnet", [dll, "--urls", url.ToString()], environment, name, Path.GetDirectoryName(dll));
            await WaitForReadyAsync(url);
            instances.Add(url);
        }

        Instances = instances;
        _services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddClinicData(DatabaseProvider.Sqlite, connectionString)
            .AddClinicFeatures()
            .Configure<AccessTokenOptions>(o => o.SigningKey = signingKey)
            .BuildServiceProvider();
        await _services.GetRequiredService<AccessTokenSigningKey>().LoadAsync(CancellationToken.None);
        _ = redis;
    }

    /// <summary>A new account and an access token of it, made in the shared database as the CLI would.</summary>
    public async Task<string> CreateAccountWithTokenAsync(int number)
    {
        var services = _services ?? throw new InvalidOperationException("Not started.");
        var account = (await services.GetRequiredService<AccountService>().CreateAsync($"Clínica Escala {number}", $"scale{number}-{Guid.NewGuid():N}@example.com")).Value!;
        return (await services.GetRequiredService<AccessTokenService>().IssueAsync(account.AccountId)).Value!.Token;
    }

    private Process Start(string file, string[] arguments, Dictionary<string, string> environment, string name, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? _folder,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var quiet = name == "redis";
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && !quiet) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task WaitForReadyAsync(Uri url)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not become ready.");
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ImageMais.Clinic.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run from within the repository.");
    }

    public async ValueTask DisposeAsync()
    {
        // The apps first, then Redis, each by its own process id.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }
}
