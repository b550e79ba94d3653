using System.Collections.Concurrent;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Saves a change together with its event, the one way feature services commit: the change and the event's row
/// in the account's log (<see cref="AccountEventLog"/>) are written in one transaction, so an event exists if and
/// only if its change does. Once committed, the event is published (<see cref="IAccountEventPublisher"/>); a
/// failure to publish is logged and never fails the change: the event is in the log, and is delivered from there.
/// </summary>
/// <remarks>
/// The transaction runs under the provider's execution strategy (SQL Server retries transient failures): a retry
/// saves the same entities again and builds the event again from what was saved. On SQLite all accounts' commits
/// take one gate: the file has one writer at a time anyway, and a writer that finds it locked is not queued by
/// the provider (Microsoft.Data.Sqlite sleeps the thread for 150 ms and retries), which at a few concurrent
/// requests costs more than everything else a request does. Queued here, asynchronously, commits follow each
/// other without a gap and without blocking threads, and are published in the order of their numbers.
/// </remarks>
public sealed class AccountCommitter(IAccountEventPublisher publisher, TimeProvider time, ILogger<AccountCommitter> logger)
{
    /// <summary>The gate of every account on a single-writer database (account ids are positive).</summary>
    private const int SingleWriterGate = 0;

    private readonly ConcurrentDictionary<int, SemaphoreSlim> _gates = new();

    /// <summary>
    /// Saves <paramref name="db"/>'s changes and the event <paramref name="changeAfterSave"/> describes from the saved
    /// state (generated ids included) in one transaction, then publishes the event. Returns the committed event.
    /// </summary>
    public async Task<AccountEvent> CommitAsync(ClinicDbContext db, Func<AccountChange> changeAfterSave, CancellationToken cancellationToken)
    {
        var accountId = db.AccountId ?? throw new InvalidOperationException("Account changes are committed through an account context.");
        var gate = _gates.GetOrAdd(db is SqliteClinicDbContext ? SingleWriterGate : accountId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var attempt = new Attempt(db, accountId, changeAfterSave, time);
            var committed = await db.Database.CreateExecutionStrategy().ExecuteInTransactionAsync(
                attempt,
                static (attempt, ct) => attempt.RunAsync(ct),
                static (attempt, ct) => attempt.SucceededAsync(ct),
                cancellationToken);
            db.ChangeTracker.AcceptAllChanges();
            Publish(committed);
            return committed;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Publish(AccountEvent committed)
    {
        try
        {
            publisher.Publish(committed);
            logger.LogDebug("Published {Event} #{Seq} of account {AccountId}", committed.Name, committed.Seq, committed.AccountId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Event #{Seq} of account {AccountId} was committed but could not be published; it is delivered from the log", committed.Seq, committed.AccountId);
        }
    }

    /// <summary>One try at the transaction; the execution strategy may make several.</summary>
    private sealed class Attempt(ClinicDbContext db, int accountId, Func<AccountChange> changeAfterSave, TimeProvider time)
    {
        private AccountEvent? _appended;

        public async Task<AccountEvent> RunAsync(CancellationToken cancellationToken)
        {
            // Entities stay as they are until the transaction has committed, so a retry saves them again.
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            var change = WithSavedValues(changeAfterSave);
            _appended = await AccountEventLog.AppendAsync(db, accountId, change, time.UtcNowMs(), cancellationToken);
            return _appended;
        }

        /// <summary>
        /// Builds the event from the entities as saved. Until the changes are accepted (after the commit), the values
        /// the database generated (keys of new rows) are known to the change tracker but not yet on the entities: they
        /// carry them while the event is built, then go back as they were, so that a retry inserts them again.
        /// </summary>
        private AccountChange WithSavedValues(Func<AccountChange> build)
        {
            var shown = new List<(object Entity, System.Reflection.PropertyInfo Property, object? Before)>();
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added))
            {
                foreach (var property in entry.Properties)
                {
                    if (property.Metadata.PropertyInfo is { CanWrite: true } clr
                        && clr.GetValue(entry.Entity) is var before
                        && !Equals(before, property.CurrentValue))
                    {
                        clr.SetValue(entry.Entity, property.CurrentValue);
                        shown.Add((entry.Entity, clr, before));
                    }
                }
            }

            try
            {
                return build();
            }
            finally
            {
                foreach (var (entity, clr, before) in shown)
                {
                    clr.SetValue(entity, before);
                }
            }
        }

        /// <summary>After a commit whose outcome is unknown (the connection dropped): whether the event's row is there.</summary>
        public async Task<bool> SucceededAsync(CancellationToken cancellationToken) =>
            _appended is { } appended && await AccountEventLog.ContainsAsync(db, appended, cancellationToken);
    }
}
