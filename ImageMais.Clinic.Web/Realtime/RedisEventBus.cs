using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Shares account events between app instances through one Redis pub/sub channel (<see cref="RedisOptions.EventsChannel"/>).
/// Every instance offers to its own feed (<see cref="AccountEventFeed"/>) the events made here at once, in process
/// (<see cref="AccountEventPublisher"/>), and those of other instances when they arrive from Redis, each message
/// marked with its origin so an instance skips its own echo. The feed delivers each event once, in number order,
/// whichever way it came; what Redis did not bring (Redis down, a message lost) the feed reads from the log.
/// </summary>
/// <remarks>
/// Sharing never holds a request up: events wait in a bounded queue and one loop publishes them, in order, on
/// the multiplexer's single connection. While Redis is unreachable a publish fails at once (fail-fast backlog);
/// the event is counted as not shared (<c>imagemais.clinic.events.not_shared</c>) and the outage logged once.
/// Messages are read in order (a <see cref="ChannelMessageQueue"/>). A message that cannot be read, names an event
/// this version does not know, or whose data belongs to another account than the message says is logged and
/// dropped: Redis pub/sub keeps nothing and trusts nobody, the log is the source of truth.
/// </remarks>
public sealed partial class RedisEventBus : BackgroundService, IAccountEventObserver
{
    private static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonEncodedText EnvelopeOrigin = JsonEncodedText.Encode("origin");
    private static readonly JsonEncodedText EnvelopeAccountId = JsonEncodedText.Encode("accountId");
    private static readonly JsonEncodedText EnvelopeSeq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText EnvelopeAt = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText EnvelopeName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText EnvelopeData = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText EnvelopeTraceParent = JsonEncodedText.Encode("traceParent");

    private readonly RedisConnection _connection;
    private readonly AccountEventFeed _feed;
    private readonly ClinicTelemetry _telemetry;
    private readonly ILogger<RedisEventBus> _logger;
    private readonly RedisChannel _channel;
    private readonly Channel<Outgoing> _outbox;
    private ChannelMessageQueue? _incoming;
    private int _queueFullLogged;

    public RedisEventBus(
        RedisConnection connection,
        AccountEventFeed feed,
        ClinicTelemetry telemetry,
        IOptions<RedisOptions> options,
        ILogger<RedisEventBus> logger)
    {
        _connection = connection;
        _feed = feed;
        _telemetry = telemetry;
        _logger = logger;
        _channel = RedisChannel.Literal(options.Value.EventsChannel);
        _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.Value.PublishQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>This instance's mark on the messages it publishes: new at every start, unique per process and host.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Queues an event made on this instance for the other instances; never waits.</summary>
    public void Published(AccountEvent committed)
    {
        if (_outbox.Writer.TryWrite(new Outgoing(committed, Activity.Current?.Id)))
        {
            return;
        }

        _telemetry.EventNotShared(committed, "queue-full");
        if (Interlocked.Exchange(ref _queueFullLogged, 1) == 0)
        {
            LogQueueFull(_outbox.Reader.Count);
        }
    }

    /// <summary>Subscribes before the app serves, so no event published by another instance after this start is missed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await _connection.ConnectAsync().WaitAsync(cancellationToken);
        var subscriber = multiplexer.GetSubscriber();

        // Fire-and-forget registers the subscription even while Redis is down; the multiplexer sends it again
        // on every reconnect. The ping after it, on the same connection, confirms it when Redis is up.
        _incoming = await subscriber.SubscribeAsync(_channel, CommandFlags.FireAndForget);
        _incoming.OnMessage(ReceiveAsync);
        if (multiplexer.IsConnected)
        {
            try
            {
                await subscriber.PingAsync();
            }
            catch (RedisException ex)
            {
                _connection.ReportFailure(ex);
            }
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _outbox.Writer.TryComplete();
        if (_incoming is not null)
        {
            try
            {
                await _incoming.UnsubscribeAsync(CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // Stopping must not fail because Redis is away; the server drops the subscription with the connection.
            }
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var multiplexer = await _connection.ConnectAsync();
        var subscriber = multiplexer.GetSubscriber();
        var batch = new List<(Outgoing Item, Task Publish)>(64);
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken))
            {
                // Everything waiting goes out at once, pipelined on one connection, so order is kept and a
                // burst costs one round trip.
                while (batch.Count < 256 && _outbox.Reader.TryRead(out var item))
                {
                    batch.Add((item, Publish(subscriber, item)));
                }

                foreach (var (item, publish) in batch)
                {
                    try
                    {
                        await publish;
                        _connection.ReportSuccess();
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
                    {
                        _telemetry.EventNotShared(item.Event, "redis-unreachable");
                        _connection.ReportFailure(ex);
                    }
                }

                batch.Clear();
                Interlocked.Exchange(ref _queueFullLogged, 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; events still queued are not shared.
        }
    }

    private Task Publish(ISubscriber subscriber, Outgoing item)
    {
        var accountEvent = item.Event;
        using var activity = ClinicTelemetry.ActivitySource.StartActivity("publish " + accountEvent.Name, ActivityKind.Producer, item.TraceParent);
        activity?.SetTag("imagemais.account_id", accountEvent.AccountId);
        try
        {
            return subscriber.PublishAsync(_channel, WriteEnvelope(accountEvent, activity?.Id ?? item.TraceParent));
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// The <see cref="Envelope"/> of an event, written in one pass with its data in place (the same JSON the
    /// envelope's serializer reads back).
    /// </summary>
    private ReadOnlyMemory<byte> WriteEnvelope(AccountEvent accountEvent, string? traceParent)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + accountEvent.Data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(EnvelopeOrigin, InstanceId);
            writer.WriteNumber(EnvelopeAccountId, accountEvent.AccountId);
            writer.WriteNumber(EnvelopeSeq, accountEvent.Seq);
            writer.WriteString(EnvelopeAt, accountEvent.At);
            writer.WriteString(EnvelopeName, accountEvent.Name);
            writer.WritePropertyName(EnvelopeData);
            writer.WriteRawValue(accountEvent.Data.Span, skipInputValidation: true);
            writer.WriteString(EnvelopeTraceParent, traceParent);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private Task ReceiveAsync(ChannelMessage message)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>((byte[])message.Message!, EnvelopeJson);
        }
        catch (Exception ex) when (ex is JsonException or InvalidCastException or ArgumentException)
        {
            LogUnreadable(ex);
            return Task.CompletedTask;
        }

        if (envelope is null || envelope.Origin == InstanceId)
        {
            return Task.CompletedTask;
        }

        using var activity = ClinicTelemetry.ActivitySource.StartActivity("receive " + envelope.Name, ActivityKind.Consumer, envelope.TraceParent);
        activity?.SetTag("imagemais.account_id", envelope.AccountId);
        try
        {
            var data = JsonSerializer.SerializeToUtf8Bytes(envelope.Data, EnvelopeJson);
            if (envelope.AccountId <= 0 || envelope.Seq <= 0 || AccountEventJson.Read(envelope.Name, data) is not { } change)
            {
                LogUnknownEvent(envelope.Name, envelope.AccountId);
                return Task.CompletedTask;
            }

            if (AccountEventJson.AccountOf(change) is { } owner && owner != envelope.AccountId)
            {
                LogWrongAccount(envelope.Name, envelope.AccountId, owner);
                return Task.CompletedTask;
            }

            var accountEvent = new AccountEvent(envelope.AccountId, envelope.Seq, envelope.At, change) { Data = data, FromAnotherInstance = true };
            _telemetry.EventReceived(accountEvent);
            _feed.Offer(accountEvent);
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex);
        }

        return Task.CompletedTask;
    }

    /// <summary>An event as it travels between instances (read with <see cref="EnvelopeJson"/>; written by <see cref="WriteEnvelope"/>).</summary>
    private sealed record Envelope(
        string Origin,
        int AccountId,
        long Seq,
        [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime At,
        string Name,
        JsonElement Data,
        string? TraceParent);

    private sealed record Outgoing(AccountEvent Event, string? TraceParent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue of events to share through Redis is full ({Count}): the other instances read further events from the event log")]
    private partial void LogQueueFull(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event message from Redis could not be read; it was ignored")]
    private partial void LogUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message from Redis names {Event} of account {AccountId}, which is not an event this instance knows; it was ignored")]
    private partial void LogUnknownEvent(string @event, int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message from Redis names {Event} of account {AccountId} but its data belongs to account {Owner}; it was ignored")]
    private partial void LogWrongAccount(string @event, int accountId, int owner);
}
