using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Realtime;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>
/// The app's own metrics and traces (meter and activity source <c>ImageMais.Clinic</c>): open hub connections and
/// circuits, events published and heard from other instances, and the time from an event's publication to its
/// send to the hub group. Exported through OpenTelemetry when an endpoint is configured (<see cref="TelemetryHosting"/>),
/// and readable with <c>dotnet-counters monitor --counters ImageMais.Clinic</c> at any time.
/// </summary>
public sealed class ClinicTelemetry : IAccountEventObserver, IDisposable
{
    public const string Name = "ImageMais.Clinic";

    /// <summary>Traces of the event path across instances (publish to Redis, delivery of a remote event).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly Counter<long> _notShared;
    private readonly Histogram<double> _publishToSend;
    private int _openCircuits;

    public ClinicTelemetry(IMeterFactory meterFactory, LiveHubConnections hubConnections)
    {
        _meter = meterFactory.Create(Name);
        _meter.CreateObservableUpDownCounter("imagemais.clinic.hub.connections", () => hubConnections.Count, "{connection}", "Hub connections open on this instance.");
        _meter.CreateObservableUpDownCounter("imagemais.clinic.circuits", () => Volatile.Read(ref _openCircuits), "{circuit}", "Blazor circuits open on this instance.");
        _published = _meter.CreateCounter<long>("imagemais.clinic.events.published", "{event}", "Account events published by changes made on this instance.");
        _received = _meter.CreateCounter<long>("imagemais.clinic.events.received", "{event}", "Account events heard from other instances through Redis.");
        _notShared = _meter.CreateCounter<long>("imagemais.clinic.events.not_shared", "{event}", "Account events of this instance that could not be shared with the other instances (Redis unreachable or the queue full).");
        _publishToSend = _meter.CreateHistogram(
            "imagemais.clinic.events.publish_to_send",
            "ms",
            "Time from an event's publication (on any instance) to its send to the account's hub group on this instance.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });
    }

    /// <summary>Counts an event committed on this instance.</summary>
    public void Published(AccountEvent committed) => _published.Add(1, new KeyValuePair<string, object?>("event", committed.Name));

    /// <summary>Counts an event heard from another instance.</summary>
    public void EventReceived(AccountEvent accountEvent) => _received.Add(1, new KeyValuePair<string, object?>("event", accountEvent.Name));

    public void EventNotShared(AccountEvent accountEvent, string reason) =>
        _notShared.Add(1, new KeyValuePair<string, object?>("event", accountEvent.Name), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records the publish-to-send time of an event just sent to its hub group.</summary>
    public void EventSent(AccountEvent accountEvent) =>
        _publishToSend.Record(
            Math.Max(0, (DateTime.UtcNow - accountEvent.At).TotalMilliseconds),
            new KeyValuePair<string, object?>("event", accountEvent.Name),
            new KeyValuePair<string, object?>("origin", accountEvent.FromAnotherInstance ? "remote" : "local"));

    public void CircuitOpened() => Interlocked.Increment(ref _openCircuits);

    public void CircuitClosed() => Interlocked.Decrement(ref _openCircuits);

    /// <summary>The meter of this app instance (each instance has its own, from its meter factory).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();
}
