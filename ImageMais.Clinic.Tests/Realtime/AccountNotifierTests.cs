using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ImageMais.Clinic.Realtime;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Tests.Realtime;

public sealed class AccountNotifierTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly RecordingLogger<AccountNotifier> _logger = new();
    private readonly AccountNotifier _notifier;

    public AccountNotifierTests() => _notifier = new AccountNotifier(_logger);

    [Fact]
    public async Task A_subscriber_hears_its_accounts_events_in_the_order_they_were_published()
    {
        var heard = new Recorder();
        using var subscription = _notifier.Subscribe(1, heard.Handle);

        for (var i = 1; i <= 1_000; i++)
        {
            _notifier.Publish(Doctor(1, i));
        }

        Assert.Equal(Enumerable.Range(1, 1_000), await heard.IdsAsync(1_000));
    }

    [Fact]
    public async Task A_subscriber_hears_nothing_of_another_account()
    {
        var first = new Recorder();
        var second = new Recorder();
        using var firstSubscription = _notifier.Subscribe(1, first.Handle);
        using var secondSubscription = _notifier.Subscribe(2, second.Handle);

        _notifier.Publish(Doctor(1, 10));
        _notifier.Publish(Doctor(2, 20));
        _notifier.Publish(Doctor(1, 11));
        _notifier.Publish(Doctor(2, 21));

        // Each queue keeps publish order, so anything of account 1 would sit between account 2's events.
        Assert.Equal([10, 11], await first.IdsAsync(2));
        Assert.Equal([20, 21], await second.IdsAsync(2));
        Assert.Empty(first.Unread());
        Assert.Empty(second.Unread());
    }

    [Fact]
    public async Task An_all_accounts_subscriber_hears_every_account_in_publish_order()
    {
        var everything = new Recorder();
        using var subscription = _notifier.SubscribeAll(everything.Handle);

        _notifier.Publish(Doctor(1, 1));
        _notifier.Publish(Doctor(2, 2));
        _notifier.Publish(Doctor(3, 3));

        Assert.Equal([1, 2, 3], await everything.IdsAsync(3));
    }

    [Fact]
    public async Task A_slow_subscriber_holds_up_neither_the_publisher_nor_the_other_subscribers()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new Recorder(_ => release.Task);
        var quick = new Recorder();
        var everything = new Recorder();
        using var slowSubscription = _notifier.Subscribe(1, slow.Handle);
        using var quickSubscription = _notifier.Subscribe(1, quick.Handle);
        using var allSubscription = _notifier.SubscribeAll(everything.Handle);

        _notifier.Publish(Doctor(1, 1));
        _notifier.Publish(Doctor(1, 2));
        _notifier.Publish(Doctor(1, 3));

        Assert.Equal([1, 2, 3], await quick.IdsAsync(3));
        Assert.Equal([1, 2, 3], await everything.IdsAsync(3));
        Assert.Equal([1], await slow.IdsAsync(1));
        Assert.False(release.Task.IsCompleted);

        release.SetResult();
        Assert.Equal([2, 3], await slow.IdsAsync(2));
    }

    [Fact]
    public async Task A_throwing_subscriber_breaks_neither_the_others_nor_its_own_later_events_and_is_logged()
    {
        var throwing = new Recorder(e => e.Payload is 1
            ? throw new InvalidOperationException("synchronous failure")
            : e.Payload is 2 ? Task.FromException(new InvalidOperationException("asynchronous failure")) : Task.CompletedTask);
        var other = new Recorder();
        using var throwingSubscription = _notifier.Subscribe(1, throwing.Handle);
        using var otherSubscription = _notifier.Subscribe(1, other.Handle);

        _notifier.Publish(Doctor(1, 1));
        _notifier.Publish(Doctor(1, 2));
        _notifier.Publish(Doctor(1, 3));

        Assert.Equal([1, 2, 3], await other.IdsAsync(3));
        Assert.Equal([1, 2, 3], await throwing.IdsAsync(3));
        var errors = await _logger.ErrorsAsync(2);
        Assert.Equal(["synchronous failure", "asynchronous failure"], errors.Select(e => e.Exception!.Message));
    }

    [Fact]
    public void Publishing_an_event_nobody_hears_drops_it_without_error()
    {
        using var elsewhere = _notifier.Subscribe(2, _ => Task.CompletedTask);

        _notifier.Publish(Doctor(1, 1));

        Assert.Equal(1, _notifier.SubscriptionCount);
        Assert.Equal(1, _notifier.SubscribedAccountCount);
    }

    [Fact]
    public void An_event_without_an_account_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _notifier.Publish(new AccountEvent(0, AccountEventNames.DoctorsCreated, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _notifier.Subscribe(0, _ => Task.CompletedTask));
    }

    [Fact]
    public async Task A_thousand_subscribe_and_dispose_cycles_leave_nothing_behind()
    {
        var handlers = SubscribeAndDispose(1_000);

        Assert.Equal(0, _notifier.SubscriptionCount);
        Assert.Equal(0, _notifier.SubscribedAccountCount);

        // The notifier keeps no reference to a disposed subscriber: each can be collected.
        for (var attempt = 0; handlers.Any(h => h.IsAlive); attempt++)
        {
            Assert.True(attempt < 100, $"{handlers.Count(h => h.IsAlive)} disposed subscribers are still referenced.");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        // And it still works.
        var heard = new Recorder();
        using var subscription = _notifier.Subscribe(1, heard.Handle);
        _notifier.Publish(Doctor(1, 42));
        Assert.Equal([42], await heard.IdsAsync(1));
    }

    [Fact]
    public async Task Concurrent_publishing_subscribing_and_disposing_keep_each_accounts_order()
    {
        var perAccount = Enumerable.Range(1, 8).Select(_ => new Recorder()).ToArray();
        var everything = new Recorder();
        var subscriptions = perAccount.Select((r, i) => _notifier.Subscribe(i + 1, r.Handle)).Append(_notifier.SubscribeAll(everything.Handle)).ToList();

        var churn = Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                using var transient = i % 2 == 0 ? _notifier.Subscribe((i % 8) + 1, _ => Task.CompletedTask) : _notifier.SubscribeAll(_ => Task.CompletedTask);
            }
        });
        await Task.WhenAll(Enumerable.Range(1, 8).Select(account => Task.Run(() =>
        {
            for (var i = 1; i <= 500; i++)
            {
                _notifier.Publish(Doctor(account, (account * 10_000) + i));
            }
        })).Append(churn));

        for (var account = 1; account <= 8; account++)
        {
            Assert.Equal(Enumerable.Range((account * 10_000) + 1, 500), await perAccount[account - 1].IdsAsync(500));
        }

        var all = await everything.IdsAsync(4_000);
        for (var account = 1; account <= 8; account++)
        {
            Assert.Equal(Enumerable.Range((account * 10_000) + 1, 500), all.Where(id => id / 10_000 == account));
        }

        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal(0, _notifier.SubscriptionCount);
        Assert.Equal(0, _notifier.SubscribedAccountCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference> SubscribeAndDispose(int cycles)
    {
        var handlers = new List<WeakReference>();
        for (var i = 0; i < cycles; i++)
        {
            var recorder = new Recorder();
            var subscription = i % 10 == 0 ? _notifier.SubscribeAll(recorder.Handle) : _notifier.Subscribe((i % 7) + 1, recorder.Handle);
            _notifier.Publish(Doctor((i % 7) + 1, i));
            subscription.Dispose();
            subscription.Dispose();
            handlers.Add(new WeakReference(recorder));
        }

        return handlers;
    }

    /// <summary>An event whose payload is just an id, enough to check who heard what in which order.</summary>
    private static AccountEvent Doctor(int accountId, int id) => new(accountId, AccountEventNames.DoctorsCreated, id);

    /// <summary>A subscriber that records what it hears, optionally doing something (slow, failing) first.</summary>
    private sealed class Recorder(Func<AccountEvent, Task>? before = null)
    {
        private readonly Channel<AccountEvent> _heard = Channel.CreateUnbounded<AccountEvent>();


        public async Task Handle(AccountEvent accountEvent)
        {
            _heard.Writer.TryWrite(accountEvent);
            if (before is not null)
            {
                await before(accountEvent);
            }
        }

        public async Task<List<int>> IdsAsync(int count)
        {
            var ids = new List<int>();
            while (ids.Count < count)
            {
                ids.Add((int)(await _heard.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Payload);
            }

            return ids;
        }

        /// <summary>Events heard and not yet read: once the last expected one was read, anything queued before it.</summary>
        public List<AccountEvent> Unread()
        {
            var rest = new List<AccountEvent>();
            while (_heard.Reader.TryRead(out var accountEvent))
            {
                rest.Add(accountEvent);
            }

            return rest;
        }
    }
}

/// <summary>Keeps the error entries written to it, to check that failures are logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Channel<(string Message, Exception? Exception)> _errors = Channel.CreateUnbounded<(string, Exception?)>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
        {
            _errors.Writer.TryWrite((formatter(state, exception), exception));
        }
    }

    public async Task<List<(string Message, Exception? Exception)>> ErrorsAsync(int count)
    {
        var errors = new List<(string, Exception?)>();
        while (errors.Count < count)
        {
            errors.Add(await _errors.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        return errors;
    }
}
