using System.Collections.Concurrent;
using System.Diagnostics;

namespace ImageMais.Clinic.Tests.Cli;

/// <summary>
/// The built web app running as its own process (<c>dotnet ImageMais.Clinic.Web.dll --urls http://127.0.0.1:0</c>),
/// as an operator starts it, on the database file it is given. Its address is read from its "Now listening on"
/// line. It ends the way a crash does (<see cref="KillAsync"/>, SIGKILL on Linux), at the latest when disposed.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const string ListeningOn = "Now listening on: ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readers;

    private AppProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the app on <paramref name="databasePath"/> and returns once it listens.</summary>
    public static async Task<AppProcess> StartAsync(string databasePath)
    {
        var app = new AppProcess(CliProcess.Start(databasePath, "--urls", "http://127.0.0.1:0"));
        try
        {
            app.BaseAddress = await app._listening.Task.WaitAsync(StartTimeout);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process and everything it started at once, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
            await _readers;
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Reads a stream of the process to its end (a full pipe would block the app), watching for its address.</summary>
    private async Task ReadAsync(StreamReader stream)
    {
        while (await stream.ReadLineAsync() is { } line)
        {
            _output.Enqueue(line);
            var at = line.IndexOf(ListeningOn, StringComparison.Ordinal);
            if (at >= 0)
            {
                _listening.TrySetResult(new Uri(line[(at + ListeningOn.Length)..].Trim()));
            }
        }

        _listening.TrySetException(new InvalidOperationException("The app ended before listening:\n" + string.Join('\n', _output)));
    }
}
