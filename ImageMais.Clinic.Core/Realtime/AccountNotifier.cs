using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// The in-process <see cref="IAccountNotifier"/>, one per app instance. Publishing writes the event to the
/// queue of each subscriber of its account (and of each all-accounts subscriber) and returns at once; each
/// queue is drained by its own loop, one event at a time, so order is kept and nobody waits for anybody.
/// </summary>
/// <remarks>
/// Queues are unbounded on purpose: dropping an event would leave a live list silently wrong, and a subscriber
/// is a circuit or the hub forwarder, both of which hand events on without waiting on the network for long.
/// </remarks>
public sealed class AccountNotifier(ILogger<AccountNotifier> logger) : IAccountNotifier
{
    private readonly ConcurrentDictionary<int, ImmutableArray<Subscription>> _byAccount = new();
    private ImmutableArray<Subscription> _allAccounts = [];

    /// <summary>Subscriptions now open, per account and for all accounts (for tests and metrics).</summary>
    public int SubscriptionCount => _byAccount.Values.Sum(s => s.Length) + _allAccounts.Length;

    /// <summary>Accounts with at least one open subscription of their own.</summary>
    public int SubscribedAccountCount => _byAccount.Count;

    /// <summary>Subscriptions now open for one account (its open tabs, for instance).</summary>
    public int SubscriptionCountFor(int accountId) => _byAccount.TryGetValue(accountId, out var list) ? list.Length : 0;

    public IDisposable Subscribe(int accountId, Func<AccountEvent, Task> handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, accountId, handler);
        _byAccount.AddOrUpdate(accountId, static (_, s) => [s], static (_, list, s) => list.Add(s), subscription);
        return subscription;
    }

    public IDisposable SubscribeAll(Func<AccountEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, accountId: null, handler);
        ImmutableInterlocked.Update(ref _allAccounts, static (list, s) => list.Add(s), subscription);
        return subscription;
    }

    /// <summary>
    /// Queues <paramref name="accountEvent"/> for every subscriber of its account and every all-accounts
    /// subscriber; with none, the event is dropped. Never waits for a handler.
    /// </summary>
    public void Publish(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountEvent.AccountId);
        if (_byAccount.TryGetValue(accountEvent.AccountId, out var forAccount))
        {
            foreach (var subscription in forAccount)
            {
                subscription.Enqueue(accountEvent);
            }
        }

        foreach (var subscription in _allAccounts)
        {
            subscription.Enqueue(accountEvent);
        }
    }

    private void Remove(Subscription subscription)
    {
        if (subscription.AccountId is not { } accountId)
        {
            ImmutableInterlocked.Update(ref _allAccounts, static (list, s) => list.Remove(s), subscription);
            return;
        }

        // Compare-and-swap so a concurrent Subscribe to the same account is never lost, and the account's
        // entry goes away with its last subscription (1,000 subscribe/dispose cycles leave nothing behind).
        while (_byAccount.TryGetValue(accountId, out var list))
        {
            var updated = list.Remove(subscription);
            if (updated.Length == list.Length)
            {
                return;
            }

            var replaced = updated.IsEmpty
                ? _byAccount.TryRemove(KeyValuePair.Create(accountId, list))
                : _byAccount.TryUpdate(accountId, updated, list);
            if (replaced)
            {
                return;
            }
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly AccountNotifier _owner;
        private readonly Func<AccountEvent, Task> _handler;
        private readonly Channel<AccountEvent> _queue = Channel.CreateUnbounded<AccountEvent>(
            new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

        private int _disposed;

        public Subscription(AccountNotifier owner, int? accountId, Func<AccountEvent, Task> handler)
        {
            _owner = owner;
            _handler = handler;
            AccountId = accountId;

            // The loop must not carry the subscriber's execution context (a request's activity, a circuit's
            // locals) for the lifetime of the subscription.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync);
            }
        }

        /// <summary>The account heard, or <c>null</c> for all accounts.</summary>
        public int? AccountId { get; }

        public void Enqueue(AccountEvent accountEvent) => _queue.Writer.TryWrite(accountEvent);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Remove(this);
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
                    _owner.LogHandlerFailed(ex, accountEvent);
                }
            }
        }
    }

    private void LogHandlerFailed(Exception ex, AccountEvent accountEvent) =>
        logger.LogError(ex, "A subscriber of account {AccountId} failed on {Event}", accountEvent.AccountId, accountEvent.Name);
}
