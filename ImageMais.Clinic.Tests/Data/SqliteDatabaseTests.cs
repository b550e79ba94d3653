using ImageMais.Clinic.Data;
using ImageMais.Clinic.Data.Interceptors;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageMais.Clinic.Tests.Data;

public sealed class SqliteDatabaseTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Fact]
    public async Task The_migrated_SQLite_file_runs_in_WAL_mode()
    {
        // A fresh connection: the journal mode is a property of the file, not of the connection that set it.
        await using var connection = new SqliteConnection($"Data Source={database.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_applies_nothing()
    {
        var migrator = database.Services.GetRequiredService<DatabaseMigrator>();

        Assert.Empty(await migrator.MigrateAsync());
        await using var db = database.ClinicDb.ForSystem();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Every_context_works_on_a_connection_with_the_apps_sqlite_settings_pooled_or_new()
    {
        // Several contexts in turn: the first opens a new pooled connection, the next ones reuse it.
        for (var i = 0; i < 3; i++)
        {
            await using var db = database.ClinicDb.ForSystem();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous;")); // NORMAL
            Assert.Equal(30000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
            Assert.Equal((long)SqlitePragmas.AutoCheckpointPages, await ScalarAsync(connection, "PRAGMA wal_autocheckpoint;"));
        }
    }

    [Fact]
    public async Task Commits_leave_checkpoints_to_the_background_checkpointer_which_lets_the_log_start_over()
    {
        await using var db = database.ClinicDb.ForSystem();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await ScalarAsync(connection, "CREATE TABLE IF NOT EXISTS checkpoint_probe (data BLOB);");

        // About 1,500 pages in one commit, past SQLite's default of 1,000: with it, that commit would checkpoint and
        // the next one start the log over (a new salt in the log's header).
        await ScalarAsync(connection, "INSERT INTO checkpoint_probe SELECT randomblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) SELECT i FROM n);");
        var afterBigCommit = WalSalt();
        await ScalarAsync(connection, "INSERT INTO checkpoint_probe VALUES (randomblob(10));");
        Assert.Equal(afterBigCommit, WalSalt());

        await new SqliteCheckpointer(database.ClinicDb, TimeProvider.System, NullLogger<SqliteCheckpointer>.Instance).CheckpointAsync(CancellationToken.None);

        // Everything was copied into the database file, so the next commit starts the log over.
        await ScalarAsync(connection, "INSERT INTO checkpoint_probe VALUES (randomblob(10));");
        Assert.NotEqual(afterBigCommit, WalSalt());
        await ScalarAsync(connection, "DROP TABLE checkpoint_probe;");
    }

    /// <summary>The salts of the write-ahead log's header: SQLite changes them each time the log starts over.</summary>
    private string WalSalt()
    {
        using var wal = new FileStream(database.Path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[32];
        wal.ReadExactly(header);
        return Convert.ToHexString(header, 16, 8);
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
