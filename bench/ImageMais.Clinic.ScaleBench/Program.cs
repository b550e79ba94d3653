using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ImageMais.Clinic.BenchKit;
using ImageMais.Clinic.ScaleBench;
using Microsoft.AspNetCore.SignalR.Client;

// Two-instance fan-out: the same listeners and changes against one instance, then split across two instances
// that share Redis and the database; prints the added latency and proves no delivery was lost or duplicated.
var settings = new Dictionary<string, int>(StringComparer.Ordinal) { ["--clients"] = 1_000, ["--accounts"] = 10, ["--doctors"] = 200, ["--concurrency"] = 8 };
var build = true;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--no-build")
    {
        build = false;
    }
    else if (settings.ContainsKey(args[i]) && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0)
    {
        settings[args[i++]] = value;
    }
    else
    {
        Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/ImageMais.Clinic.ScaleBench -- [--clients 1000] [--accounts 10] [--doctors 200] [--concurrency 8] [--no-build]");
        return 2;
    }
}

await using var cluster = await Cluster.StartAsync(build);
var tokens = new List<string>();
for (var i = 1; i <= settings["--accounts"]; i++)
{
    tokens.Add(await cluster.CreateAccountWithTokenAsync(i));
}

var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; load average {LoadAverage()}; instances {a} and {b} (pids {string.Join(", ", cluster.Pids)}), Redis between them.");
Console.WriteLine($"{settings["--clients"]} WebSocket listeners across {tokens.Count} accounts; {settings["--doctors"]} doctors per phase.\n");

var one = await FanOut.RunAsync("one instance  (all listeners and POSTs on A)", [a], tokens, settings);
var two = await FanOut.RunAsync("two instances (listeners split, POSTs alternate)", [a, b], tokens, settings);

Console.WriteLine();
foreach (var phase in one.Keys)
{
    Console.WriteLine($"Added p99, {phase}: {two[phase].P99 - one[phase].P99:+0.0;-0.0} ms ({one[phase].P99:F1} → {two[phase].P99:F1} ms); remote deliveries p99 {two[phase].RemoteP99:F1} ms.");
}

var faults = one.Values.Concat(two.Values).Sum(r => r.Missing + r.Duplicates);
Console.WriteLine(faults == 0 ? "Every delivery arrived exactly once." : $"FAULTS: {faults} deliveries missing or duplicated.");
Console.WriteLine($"Load average at the end: {LoadAverage()}");
return faults == 0 ? 0 : 1;

static string LoadAverage() => Measures.LoadAverage() ?? "n/a";

namespace ImageMais.Clinic.ScaleBench
{
    public sealed record PhaseResult(double P50, double P99, double Max, double RemoteP99, long Deliveries, long Missing, long Duplicates);

    /// <summary>One arrangement of listeners and writers, with a sequential and a concurrent phase.</summary>
    public static class FanOut
    {
        private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(2);

        public static async Task<Dictionary<string, PhaseResult>> RunAsync(string name, Uri[] instances, IReadOnlyList<string> tokens, Dictionary<string, int> settings)
        {
            var listeners = new List<Listener>();
            try
            {
                for (var i = 0; i < settings["--clients"]; i++)
                {
                    var account = i % tokens.Count;
                    listeners.Add(new Listener(account, (i / tokens.Count) % instances.Length, instances, tokens[account]));
                }

                foreach (var chunk in listeners.Chunk(50))
                {
                    await Task.WhenAll(chunk.Select(l => l.StartAsync()));
                }

                var writers = instances.Select(url => tokens.Select(token => new HttpClient { BaseAddress = url, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } }).ToArray()).ToArray();
                Console.WriteLine($"{name}: {listeners.Count} listeners connected.");
                // Warm-up, not measured: every account's doctors through every instance, sequentially and concurrently,
                // so neither instance is still compiling its write path when the measured phases start.
                await PhaseAsync(listeners, writers, tokens.Count, tokens.Count * instances.Length * 5, 1);
                await PhaseAsync(listeners, writers, tokens.Count, tokens.Count * instances.Length * 5, settings["--concurrency"]);
                var results = new Dictionary<string, PhaseResult>(StringComparer.Ordinal)
                {
                    ["sequential"] = await PhaseAsync(listeners, writers, tokens.Count, settings["--doctors"], 1),
                    [$"concurrency {settings["--concurrency"]}"] = await PhaseAsync(listeners, writers, tokens.Count, settings["--doctors"], settings["--concurrency"]),
                };
                foreach (var (phase, r) in results)
                {
                    Console.WriteLine($"  {phase,-14} p50 {r.P50,6:F1} ms  p99 {r.P99,6:F1} ms  max {r.Max,7:F1} ms  deliveries {r.Deliveries}  missing {r.Missing}  duplicated {r.Duplicates}");
                }

                return results;
            }
            finally
            {
                await Task.WhenAll(listeners.Select(l => l.DisposeAsync().AsTask()));
            }
        }

        /// <summary>Creates <paramref name="doctors"/> doctors round-robin over the accounts (and the instances) and waits for every delivery.</summary>
        private static async Task<PhaseResult> PhaseAsync(List<Listener> listeners, HttpClient[][] writers, int accounts, int doctors, int concurrency)
        {
            foreach (var listener in listeners)
            {
                listener.Reset();
            }

            var sent = new ConcurrentDictionary<int, (long Timestamp, int Instance, int Account)>();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < doctors)
                {
                    var (account, instance) = (n % accounts, (n / accounts) % writers.Length);
                    var start = Stopwatch.GetTimestamp();
                    using var response = await writers[instance][account].PostAsJsonAsync(new Uri("/api/doctors", UriKind.Relative), new
                    {
                        name = $"Dr. Escala {n}",
                        crm = (100_000 + Random.Shared.Next(9_000_000)).ToString(CultureInfo.InvariantCulture),
                        email = $"escala{n}-{Guid.NewGuid():N}@example.com",
                        phone = "81999998888",
                        procedureIds = Array.Empty<int>(),
                    });
                    response.EnsureSuccessStatusCode();
                    var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
                    sent[id] = (start, instance, account);
                }
            }));

            var expected = listeners.Sum(l => (long)sent.Values.Count(s => s.Account == l.Account));
            var clock = Stopwatch.StartNew();
            while (listeners.Sum(l => (long)l.Received.Count) < expected && clock.Elapsed < DeliveryTimeout)
            {
                await Task.Delay(20);
            }

            var all = new List<double>();
            var remote = new List<double>();
            long missing = 0;
            foreach (var listener in listeners)
            {
                foreach (var (id, s) in sent.Where(e => e.Value.Account == listener.Account))
                {
                    if (!listener.Received.TryGetValue(id, out var at))
                    {
                        missing++;
                        continue;
                    }

                    var ms = Stopwatch.GetElapsedTime(s.Timestamp, at).TotalMilliseconds;
                    all.Add(ms);
                    if (s.Instance != listener.Instance)
                    {
                        remote.Add(ms);
                    }
                }
            }

            all.Sort();
            remote.Sort();
            return new PhaseResult(Measures.Percentile(all, 0.50), Measures.Percentile(all, 0.99), all.Count == 0 ? 0 : all[^1], Measures.Percentile(remote, 0.99), all.Count, missing, listeners.Sum(l => l.Duplicates));
        }

    }

    /// <summary>A hub client of one account on one instance, noting when each doctor arrived and any that arrived twice.</summary>
    public sealed class Listener : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private long _duplicates;

        public Listener(int account, int instance, Uri[] instances, string token)
        {
            Account = account;
            Instance = instance;
            _connection = new HubConnectionBuilder()
                .WithUrl(new Uri(instances[instance], "/hubs/accounts"), Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            // Every event carries its metadata {seq, at} as a second argument.
            _connection.On<JsonElement, JsonElement>("doctors.created", (doctor, _) =>
            {
                var at = Stopwatch.GetTimestamp();
                if (!Received.TryAdd(doctor.GetProperty("id").GetInt32(), at))
                {
                    Interlocked.Increment(ref _duplicates);
                }
            });
        }

        public int Account { get; }

        public int Instance { get; }

        public ConcurrentDictionary<int, long> Received { get; private set; } = new();

        public long Duplicates => Interlocked.Read(ref _duplicates);

        public Task StartAsync() => _connection.StartAsync();

        public void Reset()
        {
            Received = new ConcurrentDictionary<int, long>();
            Interlocked.Exchange(ref _duplicates, 0);
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
