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
}
