using ImageMais.Clinic.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
        }
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
