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
public sealed class AccountNotifier(ILogger<AccountNotifier> logger) : IAccountNotifier
{
    private const int AllAccounts = 0;

    private readonly ConcurrentDictionary<int, ImmutableArray<Subscription>> _subscriptions = new();
    private readonly ILogger _logger = logger;

    /// <summary>Subscriptions now open, over all accounts (for tests and metrics).</summary>
    public int SubscriptionCount => _subscriptions.Values.Sum(s => s.Length);

    /// <summary>Accounts (plus the all-accounts slot) with at least one open subscription.</summary>
    public int SubscribedAccountCount => _subscriptions.Count;

    public IDisposable Subscribe(int accountId, Func<AccountEvent, Task> handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        return Add(accountId, handler);
    }

    public IDisposable SubscribeAll(Func<AccountEvent, Task> handler) => Add(AllAccounts, handler);

    public void Publish(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        if (_subscriptions.TryGetValue(accountEvent.AccountId, out var forAccount))
        {
            foreach (var subscription in forAccount)
            {
                subscription.Enqueue(accountEvent);
            }
        }

        if (_subscriptions.TryGetValue(AllAccounts, out var forAll))
        {
            foreach (var subscription in forAll)
            {
                subscription.Enqueue(accountEvent);
            }
        }
    }

    private Subscription Add(int key, Func<AccountEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, key, handler);
        _subscriptions.AddOrUpdate(key, static (_, s) => [s], static (_, list, s) => list.Add(s), subscription);
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        while (_subscriptions.TryGetValue(subscription.Key, out var list))
        {
            var updated = list.Remove(subscription);
            if (updated.Length == list.Length)
            {
                return;
            }

            var replaced = updated.IsEmpty
                ? _subscriptions.TryRemove(KeyValuePair.Create(subscription.Key, list))
                : _subscriptions.TryUpdate(subscription.Key, updated, list);
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

        public Subscription(AccountNotifier owner, int key, Func<AccountEvent, Task> handler)
        {
            _owner = owner;
            _handler = handler;
            Key = key;
            _ = Task.Run(DrainAsync);
        }

        public int Key { get; }

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
                    _owner._logger.LogError(ex, "A subscriber of account {AccountId} failed on {Event}", accountEvent.AccountId, accountEvent.Name);
                }
            }
        }
    }
}
