using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Tests.Operations;

public sealed class TelemetryTests(TelemetryTests.App app) : IClassFixture<TelemetryTests.App>
{
    [Fact]
    public async Task An_event_is_counted_when_published_and_timed_from_publication_to_its_send_to_the_hub()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = Listen(app.GetService<ClinicTelemetry>().Meter, measurements);
        var account = await app.CreateApiAccountAsync();
        await using var listener = HubListener.Create(app.BaseAddress, account.Token);
        await listener.Connection.StartAsync().WaitAsync(HubListener.Timeout);

        // The hub registers a connection once it has joined its account's group.
        await Eventually.UntilAsync(() => app.GetService<LiveHubConnections>().Count >= 1, HubListener.Timeout, "the hub registers the connection");

        using var response = await account.Client.PostAsJsonAsync(new Uri("/api/doctors", UriKind.Relative), AccountChanges.NewDoctor());
        await listener.NextAsync();

        await Eventually.UntilAsync(() => measurements.Any(m => m.Instrument == "imagemais.clinic.events.publish_to_send"), HubListener.Timeout, "the send to the hub is timed");
        var sent = measurements.First(m => m.Instrument == "imagemais.clinic.events.publish_to_send");
        Assert.Equal("doctors.created", sent.Tags["event"]);
        Assert.Equal("local", sent.Tags["origin"]);
        Assert.InRange(sent.Value, 0, HubListener.Timeout.TotalMilliseconds);
        Assert.Contains(measurements, m => m.Instrument == "imagemais.clinic.events.published" && (string?)m.Tags["event"] == "doctors.created");
        meters.RecordObservableInstruments();
        Assert.Contains(measurements, m => m.Instrument == "imagemais.clinic.hub.connections" && m.Value >= 1);
    }

    [Fact]
    public async Task Logs_written_while_serving_an_api_call_carry_the_account_and_token()
    {
        var account = await app.CreateApiAccountAsync();

        using var response = await account.Client.PostAsJsonAsync(new Uri("/api/doctors", UriKind.Relative), AccountChanges.NewDoctor());

        response.EnsureSuccessStatusCode();
        Assert.Contains(app.Logs.Entries, e => e.Scopes.TryGetValue("AccountId", out var id) && Equals(id, account.AccountId)
            && e.Scopes.TryGetValue("AccessTokenId", out var token) && Equals(token, account.TokenId));
    }

    private static MeterListener Listen(Meter meter, ConcurrentQueue<(string, double, Dictionary<string, object?>)> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();
        return listener;

        static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                result[tag.Key] = tag.Value;
            }

            return result;
        }
    }

    /// <summary>The app with every log entry kept, each with the scope values around it.</summary>
    public sealed class App : ClinicApp
    {
        public CapturedLogs Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Trace));
        }
    }
}
