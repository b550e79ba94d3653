using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ImageMais.Clinic.Bench;
using ImageMais.Clinic.BenchKit;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

ServerProcess? server = null;
try
{
    Uri url;
    IReadOnlyList<string> tokens;
    int? serverPid;
    if (options.Url is null)
    {
        server = await ServerProcess.StartAsync(build: !options.NoBuild);
        url = server.Url;
        serverPid = server.Pid;
        var issued = new List<string>();
        for (var i = 1; i <= options.Accounts; i++)
        {
            issued.Add(await server.CreateAccountWithTokenAsync(i));
        }

        tokens = issued;
    }
    else
    {
        (url, tokens, serverPid) = (options.Url, options.Tokens, options.ServerPid);
    }

    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; app at {url} (pid {serverPid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
    var bench = new FanOutBench(url, tokens, serverPid);
    if (options.Mode is "all" or "fanout")
    {
        await bench.RunFanOutAsync(options.Clients, options.Doctors, options.Concurrency);
    }

    if (options.Mode is "all" or "idle")
    {
        await bench.RunIdleAsync(options.IdleClients, options.IdleHold);
    }

    if (options.Mode is "replay")
    {
        await bench.RunReplayAsync(options.ReplayEvents, options.Concurrency);
    }

    return 0;
}
finally
{
    if (server is not null)
    {
        await server.DisposeAsync();
    }
}

namespace ImageMais.Clinic.Bench
{
    /// <summary>Listeners on the hub, doctors created through the REST API, and the time between the two.</summary>
    public sealed class FanOutBench(Uri url, IReadOnlyList<string> tokens, int? serverPid)
    {
        private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(3);

        private readonly HttpClient[] _api = [.. tokens.Select(token => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = url,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        })];

        private int[][] _procedureIds = [];
        private int _nextDoctor;
        private Phase? _phase;

        public async Task RunFanOutAsync(int clients, int doctors, int concurrency)
        {
            _procedureIds = await Task.WhenAll(_api.Select(async api => new[]
            {
                await CreateProcedureAsync(api, "Ultrassom: Tireoide", "100"),
                await CreateProcedureAsync(api, "Ultrassom: Transfontanela", "110.5"),
            }));

            var rssBefore = ProcessMemory.ResidentBytes(serverPid);
            var (connections, perAccount) = await ConnectAsync(clients, onEvent: OnDoctorCreated);
            var rssAfter = ProcessMemory.ResidentBytes(serverPid);
            Console.WriteLine($"\nFan-out: {clients} WebSocket listeners across {tokens.Count} accounts ({string.Join("/", perAccount.Distinct())} each).");
            ReportMemory("listeners connected", rssBefore, rssAfter, clients);

            // Long enough for the request path to be compiled at its final tier, so the phases measure steady work.
            await RunPhaseAsync("warm-up (not counted)", Math.Min(500, doctors), concurrency, perAccount, print: false);
            await RunPhaseAsync("sequential", doctors, concurrency: 1, perAccount, print: true);
            await RunPhaseAsync($"concurrency {concurrency}", doctors, concurrency, perAccount, print: true);

            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }

        public async Task RunIdleAsync(int clients, TimeSpan hold)
        {
            var rssBefore = ProcessMemory.ResidentBytes(serverPid);
            var received = 0;
            var clock = Stopwatch.StartNew();
            var (connections, _) = await ConnectAsync(clients, onEvent: _ => Interlocked.Increment(ref received));
            Console.WriteLine($"\nIdle: {clients} WebSocket connections across {tokens.Count} accounts opened in {clock.Elapsed.TotalSeconds:F1} s.");
            var rssConnected = ProcessMemory.ResidentBytes(serverPid);
            ReportMemory("idle connections open", rssBefore, rssConnected, clients);

            Console.WriteLine($"Holding them for {hold.TotalSeconds:F0} s (keep-alives flowing)…");
            await Task.Delay(hold);
            var dropped = connections.Count(c => c.State != HubConnectionState.Connected);
            ReportMemory($"after {hold.TotalSeconds:F0} s", rssBefore, ProcessMemory.ResidentBytes(serverPid), clients);

            // One doctor per account: every connection still hears its account.
            clock.Restart();
            foreach (var api in _api)
            {
                await CreateDoctorAsync(api, Interlocked.Increment(ref _nextDoctor), []);
            }

            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref received) < clients - dropped && deadline.Elapsed < DeliveryTimeout)
            {
                await Task.Delay(50);
            }

            Console.WriteLine($"Connections dropped while idle: {dropped}; an event per account reached {received} of {clients} in {clock.Elapsed.TotalMilliseconds:F0} ms.");
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }

        /// <summary>
        /// Fills the first account's log with <paramref name="events"/> doctors, then times a new connection's
        /// <c>Resume(0)</c>: from the call to the last replayed event received.
        /// </summary>
        public async Task RunReplayAsync(int events, int concurrency)
        {
            var api = _api[0];
            var clock = Stopwatch.StartNew();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int number;
                while ((number = Interlocked.Increment(ref next)) <= events)
                {
                    await CreateDoctorAsync(api, number, []);
                }
            }));
            Console.WriteLine($"\nReplay: {events} doctors created in {clock.Elapsed.TotalSeconds:F1} s to fill the log.");

            var last = 0L;
            var received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(url, "/hubs/accounts"), HttpTransportType.WebSockets, o =>
                {
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(tokens[0]);
                })
                .Build();
            connection.On<JsonElement, JsonElement>("doctors.created", (_, metadata) =>
            {
                received++;
                if (metadata.GetProperty("seq").GetInt64() == Volatile.Read(ref last))
                {
                    done.TrySetResult();
                }
            });
            await connection.StartAsync();
            var serverCpuBefore = ProcessMemory.CpuTime(serverPid);
            clock.Restart();
            var answer = await connection.InvokeAsync<JsonElement>("Resume", 0L);
            var answered = clock.Elapsed;
            Volatile.Write(ref last, answer.GetProperty("last").GetInt64());
            if (received > 0 && received >= events)
            {
                done.TrySetResult();
            }

            await done.Task.WaitAsync(DeliveryTimeout);
            var elapsed = clock.Elapsed;
            var serverCpu = ProcessMemory.CpuTime(serverPid) - serverCpuBefore;
            Console.WriteLine($"  Resume(0): {received} events replayed, the last received {elapsed.TotalMilliseconds:F0} ms after the call " +
                $"(answer after {answered.TotalMilliseconds:F0} ms); {received / elapsed.TotalSeconds:F0} events/s; " +
                $"server CPU {(serverCpu is { } cpu ? $"{cpu.TotalMilliseconds:F0} ms" : "unknown")} (load average {Measures.LoadAverage() ?? "unknown"})");
            await connection.DisposeAsync();
        }

        private async Task RunPhaseAsync(string name, int doctors, int concurrency, int[] perAccount, bool print)
        {
            var first = _nextDoctor + 1;
            var expected = Enumerable.Range(first, doctors).Sum(n => (long)perAccount[(n - 1) % tokens.Count]);
            var phase = new Phase(first, doctors, expected);
            Volatile.Write(ref _phase, phase);

            var serverCpuBefore = ProcessMemory.CpuTime(serverPid);
            var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var next = first - 1;
            var last = first + doctors - 1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int number;
                while ((number = Interlocked.Increment(ref next)) <= last)
                {
                    var account = (number - 1) % tokens.Count;
                    phase.Sent[number - first] = Stopwatch.GetTimestamp();
                    await CreateDoctorAsync(_api[account], number, _procedureIds[account]);
                }
            }));
            var created = clock.Elapsed;
            _nextDoctor = last;

            var complete = await Task.WhenAny(phase.Complete.Task, Task.Delay(DeliveryTimeout)) == phase.Complete.Task;
            var delivered = clock.Elapsed;
            var serverCpu = ProcessMemory.CpuTime(serverPid) - serverCpuBefore;
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
            if (!print)
            {
                return;
            }

            var latencies = phase.Latencies();
            Console.WriteLine($"\n{name}: {doctors} doctors, {phase.Delivered} deliveries of {expected}{(complete ? "" : " (TIMED OUT)")}");
            Console.WriteLine($"  POST sent → event received: p50 {Measures.Percentile(latencies, 0.50):F1} ms, p95 {Measures.Percentile(latencies, 0.95):F1} ms, p99 {Measures.Percentile(latencies, 0.99):F1} ms, max {(latencies.Length == 0 ? 0 : latencies[^1]):F1} ms");
            Console.WriteLine($"  doctors created: {doctors / created.TotalSeconds:F0}/s ({created.TotalSeconds:F2} s); deliveries: {phase.Delivered / delivered.TotalSeconds:F0}/s");

            // On a shared machine the rates depend on what else runs; CPU time per doctor does much less.
            var serverCpuText = serverCpu is { } cpu ? $"server {cpu.TotalMilliseconds / doctors:F2} ms" : "server unknown";
            Console.WriteLine($"  CPU per doctor: {serverCpuText}, benchmark client {clientCpu.TotalMilliseconds / doctors:F2} ms (load average {Measures.LoadAverage() ?? "unknown"})");
        }

        private void OnDoctorCreated(JsonElement doctor)
        {
            var received = Stopwatch.GetTimestamp();
            var phase = Volatile.Read(ref _phase);
            var name = doctor.GetProperty("name").GetString()!;
            var number = int.Parse(name.AsSpan(name.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            phase?.Record(number, received);
        }

        private async Task<(List<HubConnection> Connections, int[] PerAccount)> ConnectAsync(int clients, Action<JsonElement> onEvent)
        {
            var perAccount = new int[tokens.Count];
            var connections = new HubConnection[clients];
            var failures = 0;
            using var gate = new SemaphoreSlim(64);
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
            {
                var account = i % tokens.Count;
                Interlocked.Increment(ref perAccount[account]);
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(url, "/hubs/accounts"), HttpTransportType.WebSockets, o =>
                    {
                        // Straight to the WebSocket, as a browser client with skipNegotiation does: one socket a listener.
                        o.SkipNegotiation = true;
                        o.AccessTokenProvider = () => Task.FromResult<string?>(tokens[account]);
                    })
                    .Build();
                // Every event carries its metadata {seq, at} as a second argument.
                connection.On<JsonElement, JsonElement>("doctors.created", (doctor, _) => onEvent(doctor));
                connections[i] = connection;
                await gate.WaitAsync();
                try
                {
                    await connection.StartAsync();
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"Connection {i} failed: {ex.Message}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));

            if (failures > 0)
            {
                Console.WriteLine($"{failures} of {clients} connections failed to open.");
            }

            return ([.. connections], perAccount);
        }

        private static async Task<int> CreateProcedureAsync(HttpClient api, string name, string price)
        {
            using var response = await api.PostAsJsonAsync("/api/procedures", new { name, price });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        }

        private static async Task CreateDoctorAsync(HttpClient api, int number, int[] procedureIds)
        {
            using var response = await api.PostAsJsonAsync("/api/doctors", new
            {
                name = $"Dr. Bench {number}",
                crm = number.ToString(CultureInfo.InvariantCulture),
                email = $"bench{number}@example.com",
                phone = "81999998888",
                procedureIds,
            });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/doctors answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        private static void ReportMemory(string when, long? before, long? after, int connections)
        {
            if (before is null || after is null)
            {
                Console.WriteLine($"  server memory {when}: unknown (no --server-pid, or not Linux)");
                return;
            }

            Console.WriteLine($"  server memory {when}: {after / 1048576.0:F0} MB resident (+{(after - before) / 1048576.0:F1} MB), {(after - before) / 1024.0 / connections:F1} KB per connection");
        }

        /// <summary>One run of creates: when each doctor's POST left, and each delivery's latency.</summary>
        private sealed class Phase(int first, int doctors, long expected)
        {
            private readonly double[] _latencies = new double[expected];
            private long _delivered;

            public long[] Sent { get; } = new long[doctors];

            public TaskCompletionSource Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public long Delivered => Interlocked.Read(ref _delivered);

            public void Record(int number, long receivedAt)
            {
                var index = number - first;
                if (index < 0 || index >= doctors)
                {
                    return;
                }

                var slot = Interlocked.Increment(ref _delivered) - 1;
                if (slot < _latencies.Length)
                {
                    _latencies[slot] = Stopwatch.GetElapsedTime(Volatile.Read(ref Sent[index]), receivedAt).TotalMilliseconds;
                }

                if (slot + 1 == expected)
                {
                    Complete.TrySetResult();
                }
            }

            public double[] Latencies()
            {
                var count = (int)Math.Min(Delivered, _latencies.Length);
                var sorted = _latencies[..count];
                Array.Sort(sorted);
                return sorted;
            }
        }
    }
}
