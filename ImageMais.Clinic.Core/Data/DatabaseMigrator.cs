using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Data;

/// <summary>Brings the database schema up to date (at start for SQLite, on demand with the <c>migrate</c> command).</summary>
public sealed class DatabaseMigrator(ClinicDb clinicDb, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies the pending migrations and returns their names (none when the schema was up to date).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForSystem();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }
}
