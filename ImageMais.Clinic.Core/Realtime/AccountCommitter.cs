using System.Collections.Concurrent;
using ImageMais.Clinic.Data;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Saves a change and then publishes its event, the one way feature services commit. The event goes out only
/// once the transaction has committed; an account's commits and publishes are taken one at a time so clients
/// hear that account's events in commit order; a failure to publish is logged and never fails the change.
/// </summary>
/// <remarks>
/// The gate must span the commit, not just the publish: only while it is held is the order in which commits
/// finish the order in which they happened. On SQLite all accounts share one gate. The file has one writer at a
/// time anyway, and a writer that finds it locked is not queued by the provider: Microsoft.Data.Sqlite sleeps the
/// thread for 150 ms and retries, which at a few concurrent requests costs more than everything else a request
/// does. Queued here, asynchronously, commits follow each other without a gap and without blocking threads.
/// </remarks>
public sealed class AccountCommitter(IAccountEventPublisher publisher, ILogger<AccountCommitter> logger)
{
    /// <summary>The gate of every account on a single-writer database (account ids are positive).</summary>
    private const int SingleWriterGate = 0;

    private readonly ConcurrentDictionary<int, SemaphoreSlim> _gates = new();

    /// <summary>Commits <paramref name="db"/> and publishes the event <paramref name="eventAfterCommit"/> builds from the saved state.</summary>
    public async Task CommitAsync(ClinicDbContext db, Func<AccountEvent> eventAfterCommit, CancellationToken cancellationToken)
    {
        var accountId = db.AccountId ?? throw new InvalidOperationException("Account changes are committed through an account context.");
        var gate = _gates.GetOrAdd(db is SqliteClinicDbContext ? SingleWriterGate : accountId, static _ => new SemaphoreSlim(1, 1));
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
