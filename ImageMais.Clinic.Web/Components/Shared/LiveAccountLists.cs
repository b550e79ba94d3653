using System.Diagnostics.CodeAnalysis;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// A list of each clinic with an open tab showing it on this instance (its doctors, its procedures): one list per
/// account, shared by all of its tabs and kept current by the account's events, instead of a copy in every circuit
/// (each copy stays in server memory for as long as its tab is open).
/// </summary>
/// <remarks>
/// A list lives while at least one tab holds it: the first tab subscribes to the account's events and loads it,
/// the last one to leave ends the subscription. Tabs never change the list themselves: whatever they save comes
/// back as the account's event, like a change made anywhere else, so every tab sees changes in one order. The feed
/// brings every event after the subscription once, in number order, whatever reached this instance late or not at
/// all (it reads those from the log): the list applies each event numbered after the state it loaded, so a late
/// event never brings back a deleted row nor overwrites a newer one, and a list never needs reading again.
/// </remarks>
public abstract class LiveAccountLists<TRow>(AccountEventFeed feed, AccountEventLog log, ILogger logger)
    where TRow : class
{
    private readonly Dictionary<int, LiveList<TRow>> _lists = [];
    private readonly Lock _gate = new();

    /// <summary>Accounts whose list is held by at least one tab (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lists.Count;
            }
        }
    }

    /// <summary>
    /// Joins the list of <paramref name="accountId"/>, loading it when this is its first tab.
    /// <paramref name="changed"/> is called, off the renderer's thread, after each change to the list; it must
    /// only schedule a render. Dispose the returned lease when the tab goes away.
    /// </summary>
    public LiveListLease<TRow> Join(int accountId, Action<LiveListChange> changed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            // A list whose first load failed is not kept: the next tab tries again.
            if (!_lists.TryGetValue(accountId, out var list) || list.Ready.IsFaulted)
            {
                list = new LiveList<TRow>(accountId, this, feed, logger);
                _lists[accountId] = list;
                list.Start();
            }

            return list.Add(changed);
        }
    }

    /// <summary>The account's rows, in the order the API lists them.</summary>
    protected internal abstract Task<TRow[]> LoadAsync(int accountId);

    /// <summary>
    /// The account's rows and the number of the last event they include: the account's counter read before and
    /// after them, read again while changes commit in between (at last, the number before, whose later events the
    /// list then applies again over rows that have them: the same final rows).
    /// </summary>
    internal async Task<(TRow[] Rows, long Seq)> LoadWithSeqAsync(int accountId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await log.LastSeqAsync(accountId);
            var rows = await LoadAsync(accountId);
            if (attempt == 3 || await log.LastSeqAsync(accountId) == before)
            {
                return (rows, before);
            }
        }
    }

    /// <summary>
    /// The rows after <paramref name="change"/>, and what the tabs should show of it; null when the change leaves
    /// the rows as they are. Never changes <paramref name="rows"/> in place: tabs may be drawing them.
    /// </summary>
    protected internal abstract (TRow[] Rows, LiveListChange Change)? Apply(TRow[] rows, AccountChange change);

    internal void Leave(LiveList<TRow> list, LiveListLease<TRow> lease)
    {
        lock (_gate)
        {
            if (list.Remove(lease) > 0)
            {
                return;
            }

            list.Stop();
            if (_lists.TryGetValue(list.AccountId, out var current) && current == list)
            {
                _lists.Remove(list.AccountId);
            }
        }
    }
}

/// <summary>One clinic's list, with the tabs that show it.</summary>
[SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds nothing to free unless its wait handle is asked for, which never happens here; disposing it would fail a change still on its way in.")]
internal sealed class LiveList<TRow>(int accountId, LiveAccountLists<TRow> owner, AccountEventFeed feed, ILogger logger)
    where TRow : class
{
    // The load and the changes are applied one at a time, in the order the feed delivers them.
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<LiveListLease<TRow>> _leases = [];
    private readonly CancellationTokenSource _stopped = new();
    private volatile TRow[] _rows = [];
    private long _seq;
    private AccountSubscription? _subscription;

    public int AccountId => accountId;

    public Task Ready => _ready.Task;

    public IReadOnlyList<TRow> Rows => _rows;

    /// <summary>The number of the last event the rows include.</summary>
    public long Seq => Interlocked.Read(ref _seq);

    public void Start() => _ = LoadFirstAsync();

    public void Stop()
    {
        _stopped.Cancel();
        _subscription?.Dispose();
    }

    public LiveListLease<TRow> Add(Action<LiveListChange> changed)
    {
        var lease = new LiveListLease<TRow>(this, changed);
        lock (_leases)
        {
            _leases.Add(lease);
        }

        return lease;
    }

    public int Remove(LiveListLease<TRow> lease)
    {
        lock (_leases)
        {
            _leases.Remove(lease);
            return _leases.Count;
        }
    }

    public void Leave(LiveListLease<TRow> lease) => owner.Leave(this, lease);

    private async Task LoadFirstAsync()
    {
        await _serial.WaitAsync();
        try
        {
            // Listen before loading: a change committed while the list loads waits for the load, then applies if
            // the load did not include it already.
            _subscription = await feed.SubscribeAsync(accountId, OnAccountEventAsync, _stopped.Token);
            if (_stopped.IsCancellationRequested)
            {
                _subscription.Dispose();
            }

            (_rows, var seq) = await owner.LoadWithSeqAsync(accountId);
            Interlocked.Exchange(ref _seq, seq);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Loading the {List} of account {AccountId} failed.", owner.GetType().Name, accountId);
            _ready.TrySetException(ex);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task OnAccountEventAsync(AccountEvent accountEvent)
    {
        await Ready;
        LiveListChange? change;
        await _serial.WaitAsync();
        try
        {
            change = Apply(accountEvent);
        }
        finally
        {
            _serial.Release();
        }

        if (change is { } applied)
        {
            Notify(applied);
        }
    }

    private LiveListChange? Apply(AccountEvent accountEvent)
    {
        // The load already included it.
        if (accountEvent.Seq <= Seq)
        {
            return null;
        }

        Interlocked.Exchange(ref _seq, accountEvent.Seq);
        if (owner.Apply(_rows, accountEvent.Change) is not { } applied)
        {
            return null;
        }

        _rows = applied.Rows;
        return applied.Change;
    }

    private void Notify(LiveListChange change)
    {
        LiveListLease<TRow>[] leases;
        lock (_leases)
        {
            leases = [.. _leases];
        }

        foreach (var lease in leases)
        {
            try
            {
                lease.Changed(change);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A tab showing the {List} of account {AccountId} failed to take a change.", owner.GetType().Name, accountId);
            }
        }
    }
}

/// <summary>One tab's hold on its clinic's list.</summary>
public sealed class LiveListLease<TRow> : IDisposable
    where TRow : class
{
    private readonly LiveList<TRow> _list;
    private int _disposed;

    internal LiveListLease(LiveList<TRow> list, Action<LiveListChange> changed)
    {
        _list = list;
        Changed = changed;
    }

    internal Action<LiveListChange> Changed { get; }

    /// <summary>Completes when the list has loaded (faults when the load failed).</summary>
    public Task Ready => _list.Ready;

    /// <summary>The rows now, in the API's order; a new list after each change, never changed in place.</summary>
    public IReadOnlyList<TRow> Rows => _list.Rows;

    /// <summary>The number of the last account event the rows include.</summary>
    public long Seq => _list.Seq;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _list.Leave(this);
        }
    }
}

/// <summary>A change to a clinic's list: the id of the row created or updated, to highlight, or null (a removal).</summary>
public readonly record struct LiveListChange(int? ChangedId);
