using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.CircuitBench;

/// <summary>
/// The app as an operator runs it: published in Release, started as its own process (Production) on a free
/// loopback port with a fresh SQLite file. The benchmark prepares data through the feature services on the same file.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private AppProcess(Process process, string folder, Uri url, ServiceProvider services)
    {
        _process = process;
        _folder = folder;
        Url = url;
        Services = services;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    public ServiceProvider Services { get; }

    /// <summary>Resident memory of the app's process (Linux /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// Bytes of live objects on the app's managed heap. dotnet-gcdump forces a full, compacting collection; then
    /// dotnet-counters reads the runtime's own size of the heap after that collection, less its free space. The
    /// gcdump's own total is not used: on .NET 10 its event stream is lossy and its by-type report can list objects
    /// a full process dump does not contain.
    /// </summary>
    public async Task<long> LiveHeapBytesAsync()
    {
        var pid = Pid.ToString(CultureInfo.InvariantCulture);
        var gcdump = Path.Combine(_folder, $"heap-{Guid.NewGuid():N}.gcdump");
        await RunAsync(Tool("dotnet-gcdump"), ["collect", "-p", pid, "-o", gcdump], quiet: true);
        File.Delete(gcdump);

        var counters = Path.Combine(_folder, $"counters-{Guid.NewGuid():N}.json");
        await RunAsync(Tool("dotnet-counters"), ["collect", "-p", pid, "--format", "json", "--refresh-interval", "1", "--duration", "00:00:03", "--counters", "System.Runtime", "-o", counters], quiet: true);
        var latest = new Dictionary<(string Name, string Tags), double>();
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(counters)))
        {
            foreach (var sample in json.RootElement.GetProperty("Events").EnumerateArray())
            {
                latest[(sample.GetProperty("name").GetString()!, sample.GetProperty("tags").GetString() ?? "")] = sample.GetProperty("value").GetDouble();
            }
        }

        File.Delete(counters);
        double Sum(string name) => latest.Where(entry => entry.Key.Name.StartsWith(name + " ", StringComparison.Ordinal)).Sum(entry => entry.Value);
        var size = Sum("dotnet.gc.last_collection.heap.size");
        if (size == 0)
        {
            throw new InvalidOperationException("dotnet-counters reported no dotnet.gc.last_collection.heap.size.");
        }

        // BENCH_KEEP_DUMPS=<folder> also takes a full heap dump, to see by type what the circuits hold:
        // dotnet-dump analyze <file> -c "dumpheap -stat".
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_DUMPS") is { Length: > 0 } keep)
        {
            await RunAsync(Tool("dotnet-dump"), ["collect", "-p", pid, "--type", "Heap", "-o", Path.Combine(keep, $"heap-{DateTime.UtcNow:HHmmss}.dmp")], quiet: true);
        }

        return (long)(size - Sum("dotnet.gc.last_collection.heap.fragmentation.size"));
    }

    private static string Tool(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);

    public static async Task<AppProcess> StartAsync(bool publish, bool workstationGc)
    {
        var root = RepositoryRoot();
        var output = Path.Combine(root, "bench", "ImageMais.Clinic.CircuitBench", "bin", "app");

        // A build output serves blazor.web.js empty outside Development; the published app is what people run.
        if (publish || !File.Exists(Path.Combine(output, "ImageMais.Clinic.Web.dll")))
        {
            Console.WriteLine("Publishing ImageMais.Clinic.Web in Release…");
            await RunAsync("dotnet", ["publish", Path.Combine(root, "ImageMais.Clinic.Web"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]);
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagemais-circuit-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "clinic.db")}";
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var url = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo("dotnet", [Path.Combine(output, "ImageMais.Clinic.Web.dll"), "--urls", url.ToString()])
        {
            WorkingDirectory = output,
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
        if (workstationGc)
        {
            // ASP.NET Core apps use the server GC, which keeps more memory in hand; workstation GC shows closer to what is live.
            start.Environment["DOTNET_gcServer"] = "0";
        }

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
        var app = new AppProcess(process, folder, url, services);
        await app.WaitUntilServingAsync();
        await services.GetRequiredService<AccessTokenSigningKey>().LoadAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await Services.DisposeAsync();
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
                using var response = await client.GetAsync("/assets/logo.svg");
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

        throw new TimeoutException("The app did not answer within 60 seconds.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string file, string[] args, bool quiet = false)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = quiet }) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = quiet ? await process.StandardOutput.ReadToEndAsync() : "";
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}.\n{output}");
        }

        return output;
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
