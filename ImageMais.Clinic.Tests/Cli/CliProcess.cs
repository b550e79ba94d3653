using System.Diagnostics;

namespace ImageMais.Clinic.Tests.Cli;

/// <summary>What a run of the command line left behind.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the built web executable (<c>dotnet ImageMais.Clinic.Web.dll …</c>) as a child process, from its own
/// output folder as a deployment would, with the database given by <c>ConnectionStrings__Clinic</c>.
/// </summary>
public static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The web project's build output of the same configuration as this test assembly.</summary>
    public static string WebOutputFolder { get; } = FindWebOutputFolder();

    public static async Task<CliRun> RunAsync(string databasePath, params string[] args)
    {
        using var process = Start(databasePath, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {Timeout}.");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the executable and leaves it running (the caller reads its output and ends it).</summary>
    public static Process Start(string databasePath, params string[] args) => Start(databasePath, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string, string[])"/>, with extra environment variables.</summary>
    public static Process Start(string databasePath, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WebOutputFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(WebOutputFolder, "ImageMais.Clinic.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__Clinic"] = $"Data Source={databasePath}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
    }

    private static string FindWebOutputFolder()
    {
        // This assembly sits in ImageMais.Clinic.Tests/bin/<Configuration>/<tfm>/; the web app in the same place of its project.
        var testsFolder = new DirectoryInfo(AppContext.BaseDirectory);
        var relative = new Stack<string>();
        while (testsFolder is not null && testsFolder.Name != "ImageMais.Clinic.Tests")
        {
            relative.Push(testsFolder.Name);
            testsFolder = testsFolder.Parent;
        }

        if (testsFolder?.Parent is null)
        {
            throw new InvalidOperationException($"The test project folder was not found above {AppContext.BaseDirectory}.");
        }

        var folder = Path.Combine([testsFolder.Parent.FullName, "ImageMais.Clinic.Web", .. relative]);
        return File.Exists(Path.Combine(folder, "ImageMais.Clinic.Web.dll"))
            ? folder
            : throw new InvalidOperationException($"The web app is not built in {folder}.");
    }
}
