using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Delivers account events to their subscribers on this instance (the hub's connections, the Blazor tabs' lists):
/// every subscriber gets every event of its account numbered after the moment it subscribed, once each, in number
/// order, whatever way the event reached this instance and however late.
/// </summary>
/// <remarks>
/// <para>
/// Events are offered (<see cref="Offer"/>) from three sources: a change committed here, an event another
/// instance shared through Redis, and the account's log itself. Each account with subscribers keeps the number of
/// the last event it delivered: an offer at or below it was delivered already and is dropped; one above the next
/// number waits while the events between are read from the log (<see cref="AccountEventLog"/>), and is dropped
/// if that read shows the log does not have it (an event is offered only once committed). The sweep
/// (<see cref="SweepAsync"/>, every half second or so) compares those numbers with the accounts' counters in the
/// database and reads what no offer brought within a sweep: events of a process that died right after its commit,
/// or of another instance while Redis is down.
/// </para>
/// <para>
/// Each subscriber has its own queue drained by its own loop, so a slow or failing subscriber holds up no one else.
/// Queues are unbounded on purpose: dropping an event would leave a live list silently wrong, and a subscriber is a
/// circuit's list or the hub's sender, both of which hand events on without waiting on the network for long.
/// </para>
/// </remarks>
public sealed partial class AccountEventFeed(AccountEventLog log, ILogger<AccountEventFeed> logger)
{
    /// <summary>How long a gap may wait for its events to be offered before they are read from the log.</summary>
    internal static readonly TimeSpan GapGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>Events read from the log at a time.</summary>
    private const int PageSize = 500;

    private readonly ConcurrentDictionary<int, AccountStream> _streams = new();

    /// <summary>Subscriptions now open, over all accounts (for tests and metrics).</summary>
    public int SubscriptionCount => _streams.Values.Sum(s => s.SubscriptionCount);

    /// <summary>Accounts with at least one open subscription on this instance.</summary>
    public int SubscribedAccountCount => _streams.Count;

    /// <summary>Subscriptions now open for one account (its open tabs, for instance).</summary>
    public int SubscriptionCountFor(int accountId) => _streams.TryGetValue(accountId, out var stream) ? stream.SubscriptionCount : 0;

    /// <summary>
    /// Hears <paramref name="accountId"/>'s events numbered after <see cref="AccountSubscription.Start"/> (the
    /// account's latest event when the subscription began), in order, until the subscription is disposed.
    /// </summary>
    public async Task<AccountSubscription> SubscribeAsync(int accountId, Func<AccountEvent, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        ArgumentNullException.ThrowIfNull(handler);
        while (true)
        {
            var stream = _streams.GetOrAdd(accountId, static (id, feed) => new AccountStream(id, feed), this);
            await stream.StartAsync().WaitAsync(cancellationToken);
            if (stream.TryAdd(handler) is { } subscription)
            {
                return subscription;
            }

            // The stream ended (its last subscriber left, or its start failed) while this one waited: a new one.
            _streams.TryRemove(KeyValuePair.Create(accountId, stream));
        }
    }

    /// <summary>
    /// Hands a committed event to the subscribers of its account on this instance, if it is the next one they are
    /// due; never waits. An event they had already is dropped; a later one waits for those between.
    /// </summary>
    public void Offer(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        if (_streams.TryGetValue(accountEvent.AccountId, out var stream))
        {
            stream.Offer(accountEvent);
        }
    }

    /// <summary>
    /// Reads from the log the events of subscribed accounts that no offer brought since the previous sweep.
    /// Called periodically; returns the number of events it delivered.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var streams = _streams.Values.Where(s => s.IsStarted).ToList();
        if (streams.Count == 0)
        {
            return 0;
        }

        var lasts = await log.LastSeqsAsync([.. streams.Select(s => s.AccountId)], cancellationToken);
        var delivered = 0;
        foreach (var stream in streams)
        {
            if (lasts.TryGetValue(stream.AccountId, out var last) && stream.IsBehindSinceLastSweep(last))
            {
                delivered += await stream.CatchUpAsync(last, cancellationToken);
            }
        }

        return delivered;
    }

    private void Remove(AccountStream stream) => _streams.TryRemove(KeyValuePair.Create(stream.AccountId, stream));

    private Task<long> LastSeqAsync(int accountId) => log.LastSeqAsync(accountId);

    private Task<EventPage> ReadPageAsync(int accountId, long after, CancellationToken cancellationToken) =>
        log.ReadAsync(accountId, after, PageSize, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber of account {AccountId} failed on {Event} #{Seq}")]
    private partial void LogHandlerFailed(Exception exception, int accountId, string @event, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events {From} to {To} of account {AccountId} are no longer in the log: this instance's subscribers skip them")]
    private partial void LogSkipped(int accountId, long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the log of account {AccountId} after event #{Seq} failed; the next sweep tries again")]
    private partial void LogCatchUpFailed(Exception exception, int accountId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event #{Seq} of account {AccountId} was offered but the log ends at #{Last}: no instance committed it, it is dropped")]
    private partial void LogNotInLog(int accountId, long seq, long last);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} events of account {AccountId} from the log ({From} to {To}) that no offer had brought")]
    private partial void LogCaughtUp(int accountId, int count, long from, long to);

    /// <summary>One account's delivery on this instance: its position, the events waiting for a gap, its subscribers.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds nothing to free unless its wait handle is asked for, which never happens here.")]
    private sealed class AccountStream(int accountId, AccountEventFeed feed)
    {
        private readonly Lock _lock = new();
        private readonly SortedDictionary<long, AccountEvent> _waiting = [];
        private readonly SemaphoreSlim _catchingUp = new(1, 1);
        private ImmutableArray<AccountSubscription> _subscriptions = [];
        private Task? _start;
        private long _delivered = -1;
        private long? _behindAtLastSweep;
        private bool _gapScheduled;
        private bool _ended;

        public int AccountId => accountId;

        public int SubscriptionCount => _subscriptions.Length;

        public bool IsStarted => Volatile.Read(ref _delivered) >= 0;

        /// <summary>Reads the account's position once, the first time a subscriber comes.</summary>
        public Task StartAsync()
        {
            lock (_lock)
            {
                return _start ??= StartCoreAsync();
            }
        }

        public AccountSubscription? TryAdd(Func<AccountEvent, Task> handler)
        {
            lock (_lock)
            {
                if (_ended || !IsStarted)
                {
                    return null;
                }

                var subscription = new AccountSubscription(accountId, _delivered, handler, Remove, feed.LogHandlerFailed);
                _subscriptions = _subscriptions.Add(subscription);
                return subscription;
            }
        }

        public void Offer(AccountEvent accountEvent)
        {
            lock (_lock)
            {
                if (_ended)
                {
                    return;
                }

                if (!IsStarted)
                {
                    // Until the position is read, everything waits: it is sorted out once it is known.
                    _waiting.TryAdd(accountEvent.Seq, accountEvent);
                    return;
                }

                if (accountEvent.Seq <= _delivered)
                {
                    return;
                }

                if (accountEvent.Seq == _delivered + 1 && _waiting.Count == 0)
                {
                    // The usual case: the next event, with nothing waiting.
                    Deliver(accountEvent);
                    return;
                }

                if (!_waiting.TryAdd(accountEvent.Seq, accountEvent))
                {
                    return;
                }

                DeliverReady();
                if (_waiting.Count > 0 && !_gapScheduled)
                {
                    _gapScheduled = true;
                    _ = FillGapAsync();
                }
            }
        }

        /// <summary>
        /// Whether the account's counter <paramref name="last"/> is ahead of what was delivered, and was so at the
        /// previous sweep too: an event committed a moment ago is usually on its way and is left to its offer.
        /// </summary>
        public bool IsBehindSinceLastSweep(long last)
        {
            lock (_lock)
            {
                if (last <= _delivered)
                {
                    _behindAtLastSweep = null;
                    return false;
                }

                var wasBehind = _behindAtLastSweep is { } earlier && earlier > _delivered;
                _behindAtLastSweep = last;
                return wasBehind;
            }
        }

        /// <summary>Reads and delivers the events up to <paramref name="last"/> from the log; returns how many it delivered.</summary>
        public async Task<int> CatchUpAsync(long last, CancellationToken cancellationToken)
        {
            await _catchingUp.WaitAsync(cancellationToken);
            try
            {
                var delivered = 0;
                var from = Volatile.Read(ref _delivered);
                while (!_ended && Volatile.Read(ref _delivered) is var position && position < last)
                {
                    var offered = WaitingSeqs();
                    var page = await feed.ReadPageAsync(accountId, position, cancellationToken);
                    DropUnlogged(offered, page.Last);
                    if (page.Gone)
                    {
                        Skip(position, page);
                        continue;
                    }

                    foreach (var accountEvent in page.Events)
                    {
                        delivered += OfferCounted(accountEvent);
                    }

                    // Rows this version cannot read are passed over, not waited for.
                    SkipTo(page.Through);
                    if (page.Events.Count == 0 && page.Through <= position)
                    {
                        break;
                    }
                }

                if (delivered > 0)
                {
                    feed.LogCaughtUp(accountId, delivered, from + 1, Volatile.Read(ref _delivered));
                }

                return delivered;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                feed.LogCatchUpFailed(ex, accountId, Volatile.Read(ref _delivered));
                return 0;
            }
            finally
            {
                _catchingUp.Release();
            }
        }

        private async Task StartCoreAsync()
        {
            try
            {
                var last = await feed.LastSeqAsync(accountId);
                lock (_lock)
                {
                    foreach (var seq in _waiting.Keys.Where(seq => seq <= last).ToList())
                    {
                        _waiting.Remove(seq);
                    }

                    Volatile.Write(ref _delivered, last);
                    DeliverReady();
                }
            }
            catch
            {
                lock (_lock)
                {
                    _ended = true;
                }

                feed.Remove(this);
                throw;
            }
        }

        private int OfferCounted(AccountEvent accountEvent)
        {
            var before = Volatile.Read(ref _delivered);
            Offer(accountEvent);
            return (int)(Volatile.Read(ref _delivered) - before);
        }

        /// <summary>Delivers the waiting events that follow on from the position, in order. Under the lock.</summary>
        private void DeliverReady()
        {
            while (_waiting.Count > 0)
            {
                var (seq, next) = _waiting.First();
                if (seq <= _delivered)
                {
                    _waiting.Remove(seq);
                    continue;
                }

                if (seq != _delivered + 1)
                {
                    return;
                }

                _waiting.Remove(seq);
                Deliver(next);
            }
        }

        private void Deliver(AccountEvent accountEvent)
        {
            Volatile.Write(ref _delivered, accountEvent.Seq);
            foreach (var subscription in _subscriptions)
            {
                subscription.Enqueue(accountEvent);
            }
        }

        private long[] WaitingSeqs()
        {
            lock (_lock)
            {
                return [.. _waiting.Keys];
            }
        }

        /// <summary>
        /// Drops the waiting events, among those <paramref name="offered"/> before the log was read, numbered after
        /// its <paramref name="last"/>: an event is offered only once committed, so no instance committed these (a
        /// stray message on the events channel). Kept, one would be delivered in place of the real event of its number.
        /// </summary>
        private void DropUnlogged(long[] offered, long last)
        {
            lock (_lock)
            {
                foreach (var seq in offered)
                {
                    if (seq > last && _waiting.Remove(seq))
                    {
                        feed.LogNotInLog(accountId, seq, last);
                    }
                }
            }
        }

        /// <summary>Moves the position past events that cannot be delivered (no longer kept, or unreadable).</summary>
        private void SkipTo(long through)
        {
            lock (_lock)
            {
                if (through > _delivered)
                {
                    Volatile.Write(ref _delivered, through);
                    DeliverReady();
                }
            }
        }

        private void Skip(long position, EventPage page)
        {
            // What is still kept starts after the gap: jump to just before the oldest event waiting, or to the end.
            long target;
            lock (_lock)
            {
                target = _waiting.Count > 0 ? _waiting.First().Key - 1 : page.Last;
            }

            feed.LogSkipped(accountId, position + 1, target);
            SkipTo(target);
        }

        /// <summary>Gives the missing events a moment to be offered, then reads them from the log.</summary>
        private async Task FillGapAsync()
        {
            try
            {
                await Task.Delay(GapGrace);
                long upTo;
                lock (_lock)
                {
                    _gapScheduled = false;
                    if (_waiting.Count == 0 || _ended)
                    {
                        return;
                    }

                    upTo = _waiting.Last().Key;
                }

                await CatchUpAsync(upTo, CancellationToken.None);
            }
            catch (Exception ex)
            {
                feed.LogCatchUpFailed(ex, accountId, Volatile.Read(ref _delivered));
            }
        }

        private void Remove(AccountSubscription subscription)
        {
            lock (_lock)
            {
                _subscriptions = _subscriptions.Remove(subscription);
                if (_subscriptions.IsEmpty)
                {
                    _ended = true;
                    feed.Remove(this);
                }
            }
        }
    }

}

/// <summary>
/// A subscriber's hold on its account's events (<see cref="AccountEventFeed.SubscribeAsync"/>): it hears every event
/// numbered after <see cref="Start"/>, in order, each once, until disposed.
/// </summary>
public sealed class AccountSubscription : IDisposable
{
    private readonly Func<AccountEvent, Task> _handler;
    private readonly Action<AccountSubscription> _remove;
    private readonly Action<Exception, int, string, long> _handlerFailed;
    private readonly Channel<AccountEvent> _queue = Channel.CreateUnbounded<AccountEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private int _disposed;

    internal AccountSubscription(int accountId, long start, Func<AccountEvent, Task> handler, Action<AccountSubscription> remove, Action<Exception, int, string, long> handlerFailed)
    {
        AccountId = accountId;
        Start = start;
        _handler = handler;
        _remove = remove;
        _handlerFailed = handlerFailed;

        // The loop must not carry the subscriber's execution context (a request's activity, a circuit's locals)
        // for the lifetime of the subscription.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(DrainAsync);
        }
    }

    public int AccountId { get; }

    /// <summary>The account's latest event number when the subscription began: it hears those after it.</summary>
    public long Start { get; }

    internal void Enqueue(AccountEvent accountEvent) => _queue.Writer.TryWrite(accountEvent);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _remove(this);
            _queue.Writer.TryComplete();
        }
    }

    private async Task DrainAsync()
    {
        await foreach (var accountEvent in _queue.Reader.ReadAllAsync())
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            try
            {
                await _handler(accountEvent);
            }
            catch (Exception ex)
            {
                _handlerFailed(ex, AccountId, accountEvent.Name, accountEvent.Seq);
            }
        }
    }
}
