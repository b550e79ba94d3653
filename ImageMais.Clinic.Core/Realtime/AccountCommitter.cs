using System.Collections.Concurrent;
using ImageMais.Clinic.Data;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Saves a change and then publishes its event, the one way feature services commit. The event goes out only
/// once the transaction has committed; an account's commits and publishes are taken one at a time so clients
/// hear that account's events in commit order; a failure to publish is logged and never fails the change.
/// </summary>
public sealed class AccountCommitter(IAccountEventPublisher publisher, ILogger<AccountCommitter> logger)
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _gates = new();

    /// <summary>Commits <paramref name="db"/> and publishes the event <paramref name="eventAfterCommit"/> builds from the saved state.</summary>
    public async Task CommitAsync(ClinicDbContext db, Func<AccountEvent> eventAfterCommit, CancellationToken cancellationToken)
    {
        var accountId = db.AccountId ?? throw new InvalidOperationException("Account changes are committed through an account context.");
        var gate = _gates.GetOrAdd(accountId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            try
            {
                var accountEvent = eventAfterCommit();
                publisher.Publish(accountEvent);
                logger.LogDebug("Published {Event} for account {AccountId}", accountEvent.Name, accountEvent.AccountId);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The change of account {AccountId} was saved but its event could not be published", accountId);
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
