using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Hands the account events published in this process to the public hub: the original system's listener and
/// gateway in one. Only the whitelisted events (<see cref="AccountEventNames.Published"/>) go out, to the
/// account's group only, with the payload the REST API answered. A failure is logged and goes no further.
/// </summary>
/// <remarks>
/// Each account has its own chain of sends: its events leave in commit order, and a client that reads slowly
/// (SignalR waits while its buffer is full) holds up only its own account, never the others.
/// </remarks>
public sealed partial class AccountEventHubForwarder(
    IAccountNotifier notifier,
    IHubContext<AccountsHub> hub,
    ClinicTelemetry telemetry,
    ILogger<AccountEventHubForwarder> logger) : IHostedService
{
    private const int SweepThreshold = 256;

    private readonly Dictionary<int, Task> _lastSendByAccount = [];
    private readonly Lock _lock = new();
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.SubscribeAll(ForwardAsync);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _lastSendByAccount.Values];
        }

        // Let sends already under way finish, as far as the host's shutdown allows.
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Task ForwardAsync(AccountEvent accountEvent)
    {
        if (!AccountEventNames.Published.Contains(accountEvent.Name))
        {
            LogNotPublished(accountEvent.Name, accountEvent.AccountId);
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            _lastSendByAccount.TryGetValue(accountEvent.AccountId, out var previous);
            _lastSendByAccount[accountEvent.AccountId] = SendAfterAsync(previous, accountEvent);
            if (_lastSendByAccount.Count > SweepThreshold)
            {
                foreach (var (accountId, send) in _lastSendByAccount.Where(e => e.Value.IsCompleted).ToList())
                {
                    _lastSendByAccount.Remove(accountId);
                }
            }
        }

        return Task.CompletedTask;
    }

    private async Task SendAfterAsync(Task? previous, AccountEvent accountEvent)
    {
        if (previous is not null)
        {
            // Never faults: every send below catches its own failure.
            await previous;
        }

        try
        {
            await hub.Clients.Group(AccountsHub.GroupFor(accountEvent.AccountId)).SendAsync(accountEvent.Name, accountEvent.Payload);
            telemetry.EventSent(accountEvent);
            LogForwarded(accountEvent.Name, accountEvent.AccountId);
        }
        catch (Exception ex)
        {
            LogForwardFailed(ex, accountEvent.Name, accountEvent.AccountId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Event} sent to the hub group of account {AccountId}")]
    private partial void LogForwarded(string @event, int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} of account {AccountId} is not a published event; it was not sent to the hub")]
    private partial void LogNotPublished(string @event, int accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send {Event} to the hub group of account {AccountId}")]
    private partial void LogForwardFailed(Exception exception, string @event, int accountId);
}
