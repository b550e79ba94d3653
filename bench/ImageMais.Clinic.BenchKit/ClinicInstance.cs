using System.Diagnostics;

namespace ImageMais.Clinic.BenchKit;

/// <summary>One app process (<c>dotnet ImageMais.Clinic.Web.dll</c>) on a free loopback port, ready once <c>/health/ready</c> answers.</summary>
public sealed class ClinicInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly ChildProcess _process;

    private ClinicInstance(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Pid;

    /// <summary>The Release build of the app, built first when <paramref name="build"/>.</summary>
    public static async Task<string> ReleaseBuildAsync(bool build)
    {
        var project = Path.Combine(Repository.Root(), "ImageMais.Clinic.Web");
        if (build)
        {
            Console.WriteLine("Building ImageMais.Clinic.Web in Release…");
            await ChildProcess.RunAsync("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q"]);
        }

        var dll = Path.Combine(project, "bin", "Release", "net10.0", "ImageMais.Clinic.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; build it in Release or drop --no-build.");
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="environment"/> and waits until it is ready.</summary>
    public static async Task<ClinicInstance> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, string name = "app")
    {
        var url = new Uri($"http://127.0.0.1:{Network.FreePort()}");
        var process = ChildProcess.Start("dotnet", [dll, "--urls", url.ToString()], name, environment, Path.GetDirectoryName(dll));
        var instance = new ClinicInstance(process, url);
        try
        {
            await instance.WaitUntilReadyAsync();
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app at {Url} exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The app at {Url} was not ready within {StartTimeout.TotalSeconds:F0} seconds.");
    }
}
