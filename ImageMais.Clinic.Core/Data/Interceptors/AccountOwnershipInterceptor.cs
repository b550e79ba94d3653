using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageMais.Clinic.Data.Interceptors;

/// <summary>
/// Refuses any write that would cross accounts: in an account context every added, changed or deleted
/// <see cref="IAccountOwned"/> entity must belong to that account (new ones are stamped with it); in a system
/// context a new one must name its account explicitly.
/// </summary>
public sealed class AccountOwnershipInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is not ClinicDbContext db)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries<IAccountOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var entity = entry.Entity;
            if (db.AccountId is { } accountId)
            {
                if (entry.State == EntityState.Added && entity.AccountId == 0)
                {
                    entity.AccountId = accountId;
                }

                var original = entry.State == EntityState.Added
                    ? entity.AccountId
                    : entry.Property(e => e.AccountId).OriginalValue;
                if (entity.AccountId != accountId || original != accountId)
                {
                    throw new CrossAccountWriteException(entity.GetType().Name, accountId, entity.AccountId);
                }
            }
            else if (entity.AccountId <= 0)
            {
                throw new InvalidOperationException(
                    $"A {entity.GetType().Name} written outside an account context must name its account.");
            }
        }
    }
}

/// <summary>Thrown when code tries to write one account's data through another account's context.</summary>
public sealed class CrossAccountWriteException(string entity, int contextAccountId, int entityAccountId)
    : InvalidOperationException($"A {entity} of account {entityAccountId} cannot be written by a context of account {contextAccountId}.");
