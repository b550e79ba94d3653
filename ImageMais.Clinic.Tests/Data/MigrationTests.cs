using ImageMais.Clinic.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ImageMais.Clinic.Tests.Data;

/// <summary>Each provider's migrations match the model, and the SQL Server deployment script is valid T-SQL.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void The_SQL_Server_idempotent_migration_script_is_valid_T_SQL()
    {
        using var db = SqlServerContext();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
        foreach (var migration in db.Database.GetMigrations())
        {
            // Idempotent: every migration runs only when its id is not yet in the history table.
            Assert.Contains($"WHERE [MigrationId] = N'{migration}'", script, StringComparison.Ordinal);
        }

        foreach (var table in new[] { "Accounts", "Users", "Procedures", "Doctors", "DoctorProcedures", "AccessTokens", "ServerKeys", "AccountEvents" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_SQL_Server_migrations_have_no_pending_model_changes()
    {
        using var db = SqlServerContext();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void The_SQLite_migrations_have_no_pending_model_changes()
    {
        using var db = new SqliteClinicDbContext(new DbContextOptionsBuilder<SqliteClinicDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Both_providers_have_the_same_migrations_by_name()
    {
        using var sqlServer = SqlServerContext();
        using var sqlite = new SqliteClinicDbContext(new DbContextOptionsBuilder<SqliteClinicDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.Equal(
            sqlite.Database.GetMigrations().Select(m => m[15..]),
            sqlServer.Database.GetMigrations().Select(m => m[15..]));
    }

    /// <summary>Scripts and model checks need no server: the connection is never opened.</summary>
    internal static SqlServerClinicDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerClinicDbContext>()
            .UseSqlServer("Server=unused.invalid;Database=ImageMaisClinic;User Id=unused;Password=unused;TrustServerCertificate=True")
            .Options);
}
