using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; test.sh installs it) on 127.0.0.1 on a free port of its own,
/// nothing persisted, run as a child process and stopped by killing that process. It can be stopped and
/// started again on the same port, as an outage and its end.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port; returns once it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The Redis server is already running.");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; test.sh installs it when missing).", ex);
        }

        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("redis-server exited: " + string.Join('\n', output)));
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ready.Task.WaitAsync(StartTimeout);
    }

    /// <summary>Kills the server at once, as a crash would: its clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
