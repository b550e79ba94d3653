using System.Globalization;
using System.Text.Json;
using ImageMais.Clinic.BenchKit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.CircuitBench;

/// <summary>
/// The app as an operator runs it: published in Release, started as its own process (Production) on a free
/// loopback port with a fresh SQLite file. The benchmark prepares data through the feature services on the same file.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly BenchDatabase _database;
    private readonly ClinicInstance _app;

    private AppProcess(BenchDatabase database, ClinicInstance app)
    {
        _database = database;
        _app = app;
    }

    public Uri Url => _app.Url;

    public int Pid => _app.Pid;

    public ServiceProvider Services => _database.Services;

    /// <summary>Resident memory of the app's process (Linux /proc).</summary>
    public long ResidentBytes() =>
        ProcessMemory.ResidentBytes(Pid) ?? throw new InvalidOperationException("The app's resident memory is unknown (not Linux, or the app has exited).");

    /// <summary>
    /// Bytes of live objects on the app's managed heap. dotnet-gcdump forces a full, compacting collection; then
    /// dotnet-counters reads the runtime's own size of the heap after that collection, less its free space. The
    /// gcdump's own total is not used: on .NET 10 its event stream is lossy and its by-type report can list objects
    /// a full process dump does not contain.
    /// </summary>
    public async Task<long> LiveHeapBytesAsync()
    {
        var pid = Pid.ToString(CultureInfo.InvariantCulture);
        var gcdump = Path.Combine(_database.Folder, $"heap-{Guid.NewGuid():N}.gcdump");
        await ChildProcess.RunAsync(Tool("dotnet-gcdump"), ["collect", "-p", pid, "-o", gcdump], quiet: true);
        File.Delete(gcdump);

        var counters = Path.Combine(_database.Folder, $"counters-{Guid.NewGuid():N}.json");
        await ChildProcess.RunAsync(Tool("dotnet-counters"), ["collect", "-p", pid, "--format", "json", "--refresh-interval", "1", "--duration", "00:00:03", "--counters", "System.Runtime", "-o", counters], quiet: true);
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
            await ChildProcess.RunAsync(Tool("dotnet-dump"), ["collect", "-p", pid, "--type", "Heap", "-o", Path.Combine(keep, $"heap-{DateTime.UtcNow:HHmmss}.dmp")], quiet: true);
        }

        return (long)(size - Sum("dotnet.gc.last_collection.heap.fragmentation.size"));
    }

    private static string Tool(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);

    public static async Task<AppProcess> StartAsync(bool publish, bool workstationGc)
    {
        var root = Repository.Root();
        var output = Path.Combine(root, "bench", "ImageMais.Clinic.CircuitBench", "bin", "app");

        // A build output serves blazor.web.js empty outside Development; the published app is what people run.
        if (publish || !File.Exists(Path.Combine(output, "ImageMais.Clinic.Web.dll")))
        {
            Console.WriteLine("Publishing ImageMais.Clinic.Web in Release…");
            await ChildProcess.RunAsync("dotnet", ["publish", Path.Combine(root, "ImageMais.Clinic.Web"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]);
        }

        var database = BenchDatabase.Create("imagemais-circuit-bench");
        try
        {
            var environment = database.AppEnvironment();
            if (workstationGc)
            {
                // ASP.NET Core apps use the server GC, which keeps more memory in hand; workstation GC shows closer to what is live.
                environment["DOTNET_gcServer"] = "0";
            }

            var app = await ClinicInstance.StartAsync(Path.Combine(output, "ImageMais.Clinic.Web.dll"), environment);
            await database.LoadSigningKeyAsync();
            return new AppProcess(database, app);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an account and issues one of its access tokens, through the same services as the ops command line.</summary>
    public Task<(Features.Accounts.AccountCreated Account, string Token)> CreateAccountWithTokenAsync(string name, string masterEmail, string label) =>
        _database.CreateAccountWithTokenAsync(name, masterEmail, label);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
