using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ImageMais.Clinic.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>
/// An event as a hub client received it, its argument turned into JSON whatever the protocol, with the number and
/// time of its metadata (the second argument).
/// </summary>
public sealed record ReceivedEvent(string Name, JsonNode? Payload, long Seq, string? At);

/// <summary>What the hub's <c>Resume</c> answers.</summary>
public sealed record ResumeAnswer(long Last, bool Reset);

public enum HubProtocol
{
    Json,
    MessagePack,
}

/// <summary>
/// A real SignalR client connected to the app's hub, recording every event it hears in arrival order.
/// </summary>
public sealed class HubListener : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Channel<ReceivedEvent> _events = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubListener(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in AccountEventNames.All)
        {
            connection.On(name, [typeof(object), typeof(object)], args =>
            {
                var metadata = ToJson(args[1]) ?? throw new InvalidOperationException($"{name} came without its metadata.");
                _events.Writer.TryWrite(new ReceivedEvent(name, ToJson(args[0]), (long)metadata["seq"]!, (string?)metadata["at"]));
                return Task.CompletedTask;
            });
        }

        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the server (or the client) closed the connection.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>A connection built for <paramref name="token"/>, not started.</summary>
    public static HubListener Create(
        Uri baseAddress,
        string? token,
        HttpTransportType transport = HttpTransportType.WebSockets,
        HubProtocol protocol = HubProtocol.Json,
        string? query = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/accounts" + query), transport, options =>
        {
            if (token is not null)
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }
        });
        if (protocol == HubProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        return new HubListener(builder.Build());
    }

    /// <summary>Connects for <paramref name="token"/> and returns once the server has put it in its account's group.</summary>
    public static async Task<HubListener> ConnectAsync(
        RealtimeApp app,
        string token,
        HttpTransportType transport = HttpTransportType.WebSockets,
        HubProtocol protocol = HubProtocol.Json)
    {
        var listener = Create(app.BaseAddress, token, transport, protocol);
        await listener.StartAsync(app);
        return listener;
    }

    public async Task StartAsync(RealtimeApp app)
    {
        await Connection.StartAsync().WaitAsync(Timeout);
        await app.Joined.WhenJoined(Connection.ConnectionId!).WaitAsync(Timeout);
    }

    /// <summary>The next event heard, waiting at most <see cref="Timeout"/>.</summary>
    public async Task<ReceivedEvent> NextAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>The events heard so far and not read yet.</summary>
    public List<ReceivedEvent> Unread()
    {
        var unread = new List<ReceivedEvent>();
        while (_events.Reader.TryRead(out var received))
        {
            unread.Add(received);
        }

        return unread;
    }

    /// <summary>
    /// Asks the server for the account's events after <paramref name="after"/> (they then arrive as events). The
    /// answer is read as its JSON shape (<c>{last}</c> or <c>{reset: true, last}</c>), the same whatever the protocol.
    /// </summary>
    public async Task<ResumeAnswer> ResumeAsync(long after)
    {
        var answer = ToJson(await Connection.InvokeAsync<object>("Resume", after).WaitAsync(Timeout))
            ?? throw new InvalidOperationException("Resume answered nothing.");
        return new ResumeAnswer((long)answer["last"]!, (bool?)answer["reset"] ?? false);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <summary>The JSON protocol gives a <see cref="JsonElement"/>; MessagePack gives maps, arrays and primitives.</summary>
    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create((string)k, ToJson(map[k])))),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        double or float => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        IConvertible number when value.GetType().IsPrimitive => JsonValue.Create(Convert.ToInt64(number, System.Globalization.CultureInfo.InvariantCulture)),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToJson)]),
        _ => throw new InvalidOperationException($"Unexpected payload part {value.GetType()}"),
    };
}
