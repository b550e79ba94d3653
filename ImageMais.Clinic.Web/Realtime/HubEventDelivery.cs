using System.Collections.Concurrent;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Sends the account events to the public hub's connections on this instance: the original system's listener and
/// gateway in one, plus what a client needs to miss nothing. Every connection gets each event of its account once,
/// in number order, with its metadata <c>{seq, at}</c> as second argument; a connection that calls
/// <c>Resume(after)</c> first gets the events after <c>after</c> from the log, then the live ones.
/// </summary>
/// <remarks>
/// <para>
/// Each account with connections here subscribes once to the instance's feed, and sends each event once to its
/// group <c>orders.account.{id}</c> (SignalR serializes it once per protocol for all of them). An account's sends,
/// and every change of its connections, take the account's turn one at a time, so the group's order is the log's.
/// </para>
/// <para>
/// A new connection joins the group only after <see cref="RealtimeOptions.ResumeWindow"/>, or as soon as it calls
/// <c>Resume</c>: a client resuming after a reconnection calls it at once, and must not get newer events before
/// the older ones it asks for. The events of that moment are sent to it before it joins, so a client that never
/// resumes misses nothing either; it hears them up to that window later. A long replay is sent outside the
/// account's turn, straight to the connection, so the other connections keep getting live events meanwhile.
/// </para>
/// </remarks>
public sealed partial class HubEventDelivery(
    AccountEventFeed feed,
    AccountEventLog log,
    IHubContext<AccountsHub> hub,
    ClinicTelemetry telemetry,
    IOptions<RealtimeOptions> options,
    TimeProvider time,
    ILogger<HubEventDelivery> logger)
{
    /// <summary>Events of each account kept in memory for connections that join the group a moment late.</summary>
    private const int RecentCapacity = 64;

    /// <summary>Events read from the log at a time during a replay.</summary>
    private const int ReplayPageSize = 500;

    private readonly Dictionary<int, AccountHub> _accounts = [];
    private AccountEventFeed Feed => feed;
    private AccountEventLog Log => log;
    private IHubContext<AccountsHub> Hub => hub;
    private ClinicTelemetry Telemetry => telemetry;
    private IOptions<RealtimeOptions> Options => options;
    private TimeProvider Time => time;

    private readonly Lock _lock = new();

    /// <summary>Accounts with connections on this instance (for tests and metrics).</summary>
    public int AccountCount
    {
        get
        {
            lock (_lock)
            {
                return _accounts.Count;
            }
        }
    }

    /// <summary>Registers a new connection of <paramref name="accountId"/>: it goes live after the resume window, or on <c>Resume</c>.</summary>
    public async Task ConnectAsync(string connectionId, int accountId, CancellationToken cancellationToken)
    {
        AccountHub account;
        lock (_lock)
        {
            if (!_accounts.TryGetValue(accountId, out account!))
            {
                account = new AccountHub(accountId, this);
                _accounts[accountId] = account;
            }

            account.Members.Add(connectionId);
        }

        try
        {
            await account.StartAsync().WaitAsync(cancellationToken);
        }
        catch
        {
            Disconnect(connectionId, accountId);
            throw;
        }

        await account.AddPendingAsync(connectionId);
    }

    /// <summary>
    /// Sends the connection every event of its account after <paramref name="after"/> that it has not had, then
    /// makes it live. Returns the last number sent, or a reset when those events are no longer kept.
    /// </summary>
    public Task<ResumeResult> ResumeAsync(string connectionId, int accountId, long after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        AccountHub? account;
        lock (_lock)
        {
            _accounts.TryGetValue(accountId, out account);
        }

        return account is null
            ? throw new HubException("The connection is not registered.")
            : account.GoLiveAsync(connectionId, after, cancellationToken);
    }

    public void Disconnect(string connectionId, int accountId)
    {
        AccountHub? ended = null;
        AccountHub? account;
        lock (_lock)
        {
            if (!_accounts.TryGetValue(accountId, out account) || !account.Members.Remove(connectionId))
            {
                return;
            }

            if (account.Members.Count == 0)
            {
                _accounts.Remove(accountId);
                ended = account;
            }
        }

        _ = account.RemoveAsync(connectionId);
        ended?.Stop();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Event} #{Seq} sent to the hub group of account {AccountId}")]
    private partial void LogSent(string @event, long seq, int accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send {Event} #{Seq} to the hub group of account {AccountId}")]
    private partial void LogSendFailed(Exception exception, string @event, long seq, int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make hub connection {ConnectionId} of account {AccountId} live")]
    private partial void LogGoLiveFailed(Exception exception, string connectionId, int accountId);

    /// <summary>One account's connections on this instance, its feed subscription and its last events.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds nothing to free unless its wait handle is asked for, which never happens here.")]
    private sealed class AccountHub(int accountId, HubEventDelivery delivery)
    {
        private readonly string _group = AccountsHub.GroupFor(accountId);
        private readonly SemaphoreSlim _turn = new(1, 1);
        private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
        private readonly Queue<AccountEvent> _recent = new(RecentCapacity);
        private readonly CancellationTokenSource _stopped = new();
        private Task? _start;
        private AccountSubscription? _subscription;
        private long _sent;
        private long _skipThroughMax;

        /// <summary>Connections registered or on their way (under the delivery's lock).</summary>
        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

        public Task StartAsync()
        {
            lock (_connections)
            {
                return _start ??= SubscribeAsync();
            }
        }

        public void Stop()
        {
            _stopped.Cancel();
            _ = DisposeSubscriptionAsync();
        }

        public async Task AddPendingAsync(string connectionId)
        {
            await _turn.WaitAsync();
            try
            {
                _connections[connectionId] = new Connection { After = _sent };
            }
            finally
            {
                _turn.Release();
            }

            _ = GoLiveAfterWindowAsync(connectionId);
        }

        public async Task RemoveAsync(string connectionId)
        {
            await _turn.WaitAsync();
            try
            {
                _connections.Remove(connectionId);
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>
        /// Replays the events after <paramref name="after"/> (or, when null, after where the connection came in) to
        /// the connection, then adds it to the group.
        /// </summary>
        public async Task<ResumeResult> GoLiveAsync(string connectionId, long? after, CancellationToken cancellationToken)
        {
            Connection connection;
            long position;
            await _turn.WaitAsync(cancellationToken);
            try
            {
                if (!_connections.TryGetValue(connectionId, out connection!))
                {
                    throw new HubException("The connection is not registered.");
                }

                if (connection.State == ConnectionState.Live)
                {
                    return await ResumeWhenLiveAsync(connection, after ?? connection.After, cancellationToken);
                }

                if (connection.State == ConnectionState.Replaying)
                {
                    throw new HubException("Resume is already under way on this connection.");
                }

                connection.State = ConnectionState.Replaying;
                position = after ?? connection.After;
            }
            finally
            {
                _turn.Release();
            }

            try
            {
                // Far behind: the bulk of the replay goes out while the account's live sends carry on.
                while (Volatile.Read(ref _sent) - position > RecentCapacity / 2 || position > Volatile.Read(ref _sent))
                {
                    var page = await delivery.Log.ReadAsync(accountId, position, ReplayPageSize, cancellationToken);
                    if (page.Gone)
                    {
                        await _turn.WaitAsync(cancellationToken);
                        try
                        {
                            return await LiveWithResetAsync(connectionId, connection, page.Last);
                        }
                        finally
                        {
                            _turn.Release();
                        }
                    }

                    if (page.Events.Count == 0 && page.Through <= position)
                    {
                        // The client is ahead of this instance: the feed brings those events in a moment.
                        break;
                    }

                    await SendToAsync(connectionId, page.Events, cancellationToken);
                    position = page.Through;
                }

                await _turn.WaitAsync(cancellationToken);
                try
                {
                    if (!_connections.ContainsKey(connectionId))
                    {
                        return new ResumeResult(_sent);
                    }

                    // The rest, under the turn so nothing is sent to the group meanwhile.
                    if (position < _sent)
                    {
                        if (await MissedAsync(position, cancellationToken) is not { } missed)
                        {
                            return await LiveWithResetAsync(connectionId, connection, _sent);
                        }

                        await SendToAsync(connectionId, missed, cancellationToken);
                    }

                    connection.After = Math.Max(position, _sent);
                    connection.SkipThrough = position > _sent ? position : 0;
                    _skipThroughMax = Math.Max(_skipThroughMax, connection.SkipThrough);
                    connection.State = ConnectionState.Live;
                    await delivery.Hub.Groups.AddToGroupAsync(connectionId, _group, cancellationToken);
                    return new ResumeResult(Math.Max(position, _sent));
                }
                finally
                {
                    _turn.Release();
                }
            }
            catch
            {
                connection.State = ConnectionState.Pending;
                throw;
            }
        }

        private async Task SubscribeAsync()
        {
            _subscription = await delivery.Feed.SubscribeAsync(accountId, SendAsync, _stopped.Token);
            _sent = _subscription.Start;
        }

        private async Task DisposeSubscriptionAsync()
        {
            try
            {
                await (_start ?? Task.CompletedTask);
            }
            catch
            {
                // A start that failed has nothing to dispose.
            }

            _subscription?.Dispose();
        }

        private async Task GoLiveAfterWindowAsync(string connectionId)
        {
            try
            {
                await Task.Delay(delivery.Options.Value.ResumeWindow, delivery.Time, _stopped.Token);
                bool pending;
                await _turn.WaitAsync(_stopped.Token);
                try
                {
                    pending = _connections.TryGetValue(connectionId, out var connection) && connection.State == ConnectionState.Pending;
                }
                finally
                {
                    _turn.Release();
                }

                if (pending)
                {
                    await GoLiveAsync(connectionId, after: null, _stopped.Token);
                }
            }
            catch (OperationCanceledException) when (_stopped.IsCancellationRequested)
            {
                // The account's last connection left.
            }
            catch (Exception ex)
            {
                delivery.LogGoLiveFailed(ex, connectionId, accountId);
            }
        }

        /// <summary>A live connection resuming again: it has every event after where it went live. Under the turn.</summary>
        private async Task<ResumeResult> ResumeWhenLiveAsync(Connection connection, long after, CancellationToken cancellationToken)
        {
            if (after < connection.After)
            {
                // It already has newer events than those it asks for: they cannot come before them any more.
                return new ResumeResult(_sent, Reset: true);
            }

            if (after <= _sent)
            {
                return new ResumeResult(_sent);
            }

            // Ahead of this instance: fine if another instance sent those numbers, a reset if no one ever did.
            var last = await delivery.Log.LastSeqAsync(accountId, cancellationToken);
            if (after > last)
            {
                return new ResumeResult(Math.Max(last, _sent), Reset: true);
            }

            connection.SkipThrough = Math.Max(connection.SkipThrough, after);
            _skipThroughMax = Math.Max(_skipThroughMax, connection.SkipThrough);
            return new ResumeResult(after);
        }

        /// <summary>
        /// Makes the connection live without the events it asked for, which are no longer kept: the client must reload,
        /// then hears the live events. Under the turn.
        /// </summary>
        private async Task<ResumeResult> LiveWithResetAsync(string connectionId, Connection connection, long last)
        {
            connection.After = _sent;
            connection.State = ConnectionState.Live;
            await delivery.Hub.Groups.AddToGroupAsync(connectionId, _group);
            return new ResumeResult(Math.Max(last, _sent), Reset: true);
        }

        /// <summary>
        /// The events after <paramref name="position"/> up to the last sent, from memory when it has them, or
        /// <c>null</c> when some of them are no longer kept. Under the turn.
        /// </summary>
        private async Task<IReadOnlyList<AccountEvent>?> MissedAsync(long position, CancellationToken cancellationToken)
        {
            if (_recent.Count > 0 && _recent.Peek().Seq <= position + 1)
            {
                return [.. _recent.Where(e => e.Seq > position)];
            }

            var missed = new List<AccountEvent>();
            while (position < _sent)
            {
                var page = await delivery.Log.ReadAsync(accountId, position, ReplayPageSize, cancellationToken);
                if (page.Gone)
                {
                    return null;
                }

                missed.AddRange(page.Events.Where(e => e.Seq <= _sent));
                if (page.Through <= position)
                {
                    break;
                }

                position = page.Through;
            }

            return missed;
        }

        private async Task SendToAsync(string connectionId, IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken)
        {
            var client = delivery.Hub.Clients.Client(connectionId);
            foreach (var accountEvent in events)
            {
                await client.SendAsync(accountEvent.Name, new EventData(accountEvent.Data), EventMetadata.Of(accountEvent), cancellationToken);
            }
        }

        /// <summary>The feed's handler: one event to the group, in the account's turn.</summary>
        private async Task SendAsync(AccountEvent accountEvent)
        {
            await _turn.WaitAsync();
            try
            {
                _sent = accountEvent.Seq;
                if (_recent.Count == RecentCapacity)
                {
                    _recent.Dequeue();
                }

                _recent.Enqueue(accountEvent);

                // A connection that resumed ahead of this instance already has the events up to where it resumed.
                var clients = accountEvent.Seq > _skipThroughMax
                    ? delivery.Hub.Clients.Group(_group)
                    : delivery.Hub.Clients.GroupExcept(_group, [.. _connections.Where(c => c.Value.SkipThrough >= accountEvent.Seq).Select(c => c.Key)]);
                await clients.SendAsync(accountEvent.Name, new EventData(accountEvent.Data), EventMetadata.Of(accountEvent));
                delivery.Telemetry.EventSent(accountEvent);
                delivery.LogSent(accountEvent.Name, accountEvent.Seq, accountId);
            }
            catch (Exception ex)
            {
                delivery.LogSendFailed(ex, accountEvent.Name, accountEvent.Seq, accountId);
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    private enum ConnectionState
    {
        Pending,
        Replaying,
        Live,
    }

    /// <summary>One connection's place in its account's events.</summary>
    private sealed class Connection
    {
        public ConnectionState State { get; set; }

        /// <summary>While pending: where it came in. Once live: it has every event after this.</summary>
        public long After { get; set; }

        /// <summary>Events up to this number are not sent to it: it resumed from there, ahead of this instance.</summary>
        public long SkipThrough { get; set; }
    }
}
