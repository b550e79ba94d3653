using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Bench;

/// <summary>
/// The app under test: built in Release and started as its own process on a free loopback port with a fresh
/// SQLite file, the way an operator runs it (<c>dotnet ImageMais.Clinic.Web.dll</c>, Production).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly ServiceProvider _services;

    private ServerProcess(Process process, string folder, Uri url, ServiceProvider services)
    {
        _process = process;
        _folder = folder;
        Url = url;
        _services = services;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(bool build)
    {
        var root = RepositoryRoot();
        var project = Path.Combine(root, "ImageMais.Clinic.Web");
        if (build)
        {
            Console.WriteLine("Building ImageMais.Clinic.Web in Release…");
            await RunAsync("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q"]);
        }

        var dll = Path.Combine(project, "bin", "Release", "net10.0", "ImageMais.Clinic.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; build it in Release or drop --no-build.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagemais-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "clinic.db")}";
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var url = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo("dotnet", [dll, "--urls", url.ToString()])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Clinic"] = connectionString;
        start.Environment["AccessTokens__SigningKey"] = signingKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The benchmark is one client holding many connections and requests per token: no production limits.
        start.Environment["RateLimiting__Enabled"] = "false";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[app] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[app] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddClinicData(DatabaseProvider.Sqlite, connectionString)
            .AddClinicFeatures()
            .Configure<AccessTokenOptions>(o => o.SigningKey = signingKey)
            .BuildServiceProvider();
        var server = new ServerProcess(process, folder, url, services);
        await server.WaitUntilServingAsync();
        await services.GetRequiredService<AccessTokenSigningKey>().LoadAsync();
        return server;
    }

    /// <summary>Creates an account and issues one of its tokens, through the same services as the ops command line.</summary>
    public async Task<string> CreateAccountWithTokenAsync(int number)
    {
        var account = await _services.GetRequiredService<AccountService>()
            .CreateAsync($"Clínica Bench {number}", $"master{number}-{Guid.NewGuid():N}@bench.example");
        var accountId = account.Value?.AccountId ?? throw new InvalidOperationException(account.Failure!.Message);
        var token = await _services.GetRequiredService<AccessTokenService>().IssueAsync(accountId, label: "bench");
        return token.Value?.Token ?? throw new InvalidOperationException(token.Failure!.Message);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await client.GetAsync("/samples/live-doctors.html");
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
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

        throw new TimeoutException("The app did not answer within 60 seconds.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false }) ?? throw new InvalidOperationException($"{file} did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}.");
        }
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ImageMais.Clinic.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (ImageMais.Clinic.sln not found).");
    }
}

/// <summary>Resident memory and CPU time of a process, from /proc (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>User plus system CPU time of the process so far (<c>/proc/PID/stat</c>, 100 ticks a second).</summary>
    public static TimeSpan? CpuTime(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public static long? ResidentBytes(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/status"))
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
