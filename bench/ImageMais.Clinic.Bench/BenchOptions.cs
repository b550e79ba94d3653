using System.Globalization;

namespace ImageMais.Clinic.Bench;

/// <summary>Command-line settings; every one has a default, so a bare run measures the README's figures.</summary>
public sealed class BenchOptions
{
    public string Mode { get; private set; } = "all";

    public int Clients { get; private set; } = 1_000;

    public int Accounts { get; private set; } = 10;

    public int Doctors { get; private set; } = 500;

    public int Concurrency { get; private set; } = 16;

    public int IdleClients { get; private set; } = 10_000;

    /// <summary>Events a client resumes from the start of its account's log in the replay mode.</summary>
    public int ReplayEvents { get; private set; } = 10_000;

    public TimeSpan IdleHold { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>A running app to measure instead of starting one (then <see cref="Tokens"/> are required).</summary>
    public Uri? Url { get; private set; }

    /// <summary>With <see cref="Url"/>: one access token per account, comma-separated.</summary>
    public IReadOnlyList<string> Tokens { get; private set; } = [];

    /// <summary>With <see cref="Url"/>: the app's process id, to read its memory (optional).</summary>
    public int? ServerPid { get; private set; }

    public bool NoBuild { get; private set; }

    public const string Usage = """
        ImageMais Clinic hub fan-out benchmark.

          dotnet run -c Release --project bench/ImageMais.Clinic.Bench -- [options]

          --mode all|fanout|idle|replay   what to measure (default all: fanout, then idle)
          --clients N              fan-out listeners, WebSocket (default 1000)
          --accounts A             accounts the listeners are spread across (default 10)
          --doctors K              doctors created per phase (default 500)
          --concurrency C          parallel POSTs in the concurrent phase (default 16)
          --idle-clients M         connections of the idle mode (default 10000)
          --idle-hold SECONDS      how long the idle connections are held (default 30)
          --replay-events N        replay mode: events in the log a client resumes from (default 10000)
          --url URL                measure a running app instead of starting one in Release
          --tokens T1,T2,...       with --url: one access token per account (issue with `tokens issue`)
          --server-pid PID         with --url: the app's process id, to report its memory
          --no-build               do not build ImageMais.Clinic.Web in Release first
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(Next(), CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new ArgumentException($"{args[i - 1]} must be positive.");
            switch (args[i])
            {
                case "--mode": options.Mode = Next() is var mode && mode is "all" or "fanout" or "idle" or "replay" ? mode : throw new ArgumentException("--mode is all, fanout, idle or replay."); break;
                case "--clients": options.Clients = Count(); break;
                case "--accounts": options.Accounts = Count(); break;
                case "--doctors": options.Doctors = Count(); break;
                case "--concurrency": options.Concurrency = Count(); break;
                case "--idle-clients": options.IdleClients = Count(); break;
                case "--idle-hold": options.IdleHold = TimeSpan.FromSeconds(Count()); break;
                case "--replay-events": options.ReplayEvents = Count(); break;
                case "--url": options.Url = new Uri(Next()); break;
                case "--tokens": options.Tokens = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--server-pid": options.ServerPid = Count(); break;
                case "--no-build": options.NoBuild = true; break;
                case "--help" or "-h": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option {args[i]}.\n\n{Usage}");
            }
        }

        if (options.Url is not null)
        {
            if (options.Tokens.Count == 0)
            {
                throw new ArgumentException("--url needs --tokens (one access token per account).");
            }

            options.Accounts = options.Tokens.Count;
        }

        return options;
    }
}
