using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageMais.Clinic.Data.Interceptors;

/// <summary>
/// Per-connection SQLite settings. In WAL mode <c>synchronous=NORMAL</c> keeps the database consistent after a
/// crash and only gives up the last commits on a power loss, while sparing an fsync on every commit. A writer
/// that finds the file locked (by another process, or a write outside <c>AccountCommitter</c>) waits in SQLite's
/// own busy handler, which retries within milliseconds, rather than failing at once into Microsoft.Data.Sqlite's
/// retry loop, which sleeps 150 ms between attempts.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
