using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageMais.Clinic.Data.Interceptors;

/// <summary>
/// Per-connection SQLite settings. In WAL mode <c>synchronous=NORMAL</c> keeps the database consistent after a
/// crash and only gives up the last commits on a power loss, while sparing an fsync on every commit. A writer
/// that finds the file locked (by another process, or a write outside <c>AccountCommitter</c>) waits in SQLite's
/// own busy handler, which retries within milliseconds, rather than failing at once into Microsoft.Data.Sqlite's
/// retry loop, which sleeps 150 ms between attempts.
/// </summary>
/// <remarks>
/// The settings belong to the SQLite connection itself, which Microsoft.Data.Sqlite pools and hands to one context
/// after another: they are applied the first time a pooled connection is opened, not on every open.
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // The native handle is what the pool keeps; a connection object is new for every context.
    private bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, handle);
}
