using System.Diagnostics.CodeAnalysis;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Components.Shared;

namespace ImageMais.Clinic.Web.Components.Pages.Doctors;

/// <summary>
/// The doctors of each clinic with an open Doctors tab on this instance: one list per account, shared by all
/// of its tabs and kept current by the account notifier, instead of a copy of the clinic's doctors in every
/// circuit (each copy stays in server memory for as long as its tab is open).
/// </summary>
/// <remarks>
/// A list lives while at least one tab holds it: the first tab subscribes to the account's events and loads it,
/// the last one to leave ends the subscription. Tabs never change the list themselves: whatever they save comes
/// back as the account's event, like a change made anywhere else, so every tab sees changes in one order.
/// </remarks>
public sealed class LiveDoctorLists(DoctorService doctors, IAccountNotifier notifier, ILogger<LiveDoctorLists> logger)
{
    private readonly Dictionary<int, LiveDoctorList> _lists = [];
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
    public DoctorListLease Join(int accountId, Action<DoctorListChange> changed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            // A list whose first load failed is not kept: the next tab tries again.
            if (!_lists.TryGetValue(accountId, out var list) || list.Ready.IsFaulted)
            {
                list = new LiveDoctorList(accountId, doctors, notifier, logger, Leave);
                _lists[accountId] = list;
                list.Start();
            }

            return list.Add(changed);
        }
    }

    private void Leave(LiveDoctorList list, DoctorListLease lease)
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

/// <summary>One clinic's doctors, in the order the API lists them, with the tabs that show them.</summary>
[SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds nothing to free unless its wait handle is asked for, which never happens here; disposing it would fail a change still on its way in.")]
internal sealed class LiveDoctorList(
    int accountId, DoctorService doctors, IAccountNotifier notifier, ILogger logger, Action<LiveDoctorList, DoctorListLease> leave)
{
    // Loads and changes are applied one at a time, in the order the notifier delivers them.
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<DoctorListLease> _leases = [];
    private volatile DoctorRow[] _rows = [];
    private IDisposable? _subscription;
    private TaskCompletionSource? _pendingReload;

    public int AccountId => accountId;

    public Task Ready => _ready.Task;

    public IReadOnlyList<DoctorRow> Rows => _rows;

    public void Start()
    {
        // Listen before loading: a change committed while the list loads waits for the load, then applies.
        _subscription = notifier.Subscribe(accountId, OnAccountEventAsync);
        _ = LoadFirstAsync();
    }

    public void Stop() => _subscription?.Dispose();

    public DoctorListLease Add(Action<DoctorListChange> changed)
    {
        var lease = new DoctorListLease(this, changed);
        lock (_leases)
        {
            _leases.Add(lease);
        }

        return lease;
    }

    public int Remove(DoctorListLease lease)
    {
        lock (_leases)
        {
            _leases.Remove(lease);
            return _leases.Count;
        }
    }

    public void Leave(DoctorListLease lease) => leave(this, lease);

    /// <summary>Reads the list again from the database; asks made while a read waits to start share it.</summary>
    public Task ReloadAsync()
    {
        TaskCompletionSource reload;
        lock (_leases)
        {
            if (_pendingReload is { } pending)
            {
                return pending.Task;
            }

            reload = _pendingReload = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = ReloadCoreAsync(reload);
        return reload.Task;
    }

    private async Task LoadFirstAsync()
    {
        await _serial.WaitAsync();
        try
        {
            _rows = await LoadAsync();
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Loading the doctors of account {AccountId} failed.", accountId);
            _ready.TrySetException(ex);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task ReloadCoreAsync(TaskCompletionSource reload)
    {
        try
        {
            await Ready;
            await _serial.WaitAsync();
            try
            {
                // From here on, a new ask needs a new read: this one may have started before its change.
                lock (_leases)
                {
                    _pendingReload = null;
                }

                _rows = await LoadAsync();
            }
            finally
            {
                _serial.Release();
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reloading the doctors of account {AccountId} failed.", accountId);
            lock (_leases)
            {
                if (_pendingReload == reload)
                {
                    _pendingReload = null;
                }
            }

            reload.TrySetException(ex);
            return;
        }

        Notify(new DoctorListChange(null));
        reload.TrySetResult();
    }

    private async Task<DoctorRow[]> LoadAsync() =>
        [.. (await doctors.ListAsync(accountId)).Select(d => new DoctorRow(d))];

    private async Task OnAccountEventAsync(AccountEvent accountEvent)
    {
        await Ready;
        DoctorListChange? change;
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

    private DoctorListChange? Apply(AccountEvent accountEvent)
    {
        var rows = _rows;
        switch (accountEvent.Name)
        {
            case AccountEventNames.DoctorsCreated or AccountEventNames.DoctorsUpdated when accountEvent.Doctor() is { } doctor:
                var index = Array.FindIndex(rows, r => r.Doctor.Id == doctor.Id);
                _rows = index < 0 ? [.. rows, new DoctorRow(doctor)] : [.. rows[..index], new DoctorRow(doctor), .. rows[(index + 1)..]];
                return new DoctorListChange(doctor.Id);
            case AccountEventNames.DoctorsDeleted when accountEvent.DeletedId() is { } id:
                _rows = [.. rows.Where(r => r.Doctor.Id != id)];
                return new DoctorListChange(null);
            case AccountEventNames.ProceduresUpdated when accountEvent.Procedure() is { } procedure:
                DoctorRow[] renamed = [.. rows.Select(r => r.WithProcedure(procedure))];
                if (renamed.SequenceEqual(rows))
                {
                    // No doctor performs it: nothing for the tabs to draw.
                    return null;
                }

                _rows = renamed;
                return new DoctorListChange(null);
            default:
                return null;
        }
    }

    private void Notify(DoctorListChange change)
    {
        DoctorListLease[] leases;
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
                logger.LogError(ex, "A Doctors tab of account {AccountId} failed to take a change.", accountId);
            }
        }
    }
}

/// <summary>One tab's hold on its clinic's list.</summary>
public sealed class DoctorListLease : IDisposable
{
    private readonly LiveDoctorList _list;
    private int _disposed;

    internal DoctorListLease(LiveDoctorList list, Action<DoctorListChange> changed)
    {
        _list = list;
        Changed = changed;
    }

    internal Action<DoctorListChange> Changed { get; }

    /// <summary>Completes when the list has loaded (faults when the load failed).</summary>
    public Task Ready => _list.Ready;

    /// <summary>The doctors now, in the API's order; a new list after each change, never changed in place.</summary>
    public IReadOnlyList<DoctorRow> Rows => _list.Rows;

    public DoctorRow? Find(int doctorId) => Rows.FirstOrDefault(r => r.Doctor.Id == doctorId);

    /// <summary>Reads the list again (after the tab's connection came back, say); every tab of the clinic gets the result.</summary>
    public Task ReloadAsync() => _list.ReloadAsync();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _list.Leave(this);
        }
    }
}

/// <summary>A change to a clinic's list: the doctor created or updated, to highlight, or null (deleted, renamed procedure, reload).</summary>
public readonly record struct DoctorListChange(int? ChangedDoctorId);
