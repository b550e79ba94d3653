using System.Data;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Data;

public static class ClinicDbContextTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, under the provider's execution strategy, and commits it.
    /// </summary>
    /// <remarks>
    /// SQL Server's retrying strategy refuses a transaction it does not own, so every hand-opened transaction goes
    /// through here. A retry runs <paramref name="work"/> again from the start on a cleared change tracker, so
    /// <paramref name="work"/> must load and build its entities itself: one built outside would come back to the
    /// retry carrying the key of an insert that was rolled back. A result returned without writing (not found,
    /// refused) simply commits an empty transaction.
    /// </remarks>
    public static Task<T> InTransactionAsync<T>(
        this ClinicDbContext db, IsolationLevel isolationLevel, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, isolationLevel, work),
            static async (_, state, ct) =>
            {
                state.db.ChangeTracker.Clear();
                await using var transaction = await state.db.Database.BeginTransactionAsync(state.isolationLevel, ct);
                var result = await state.work(ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            verifySucceeded: null,
            cancellationToken);
}
