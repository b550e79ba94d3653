using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ImageMais.Clinic.Data;

/// <summary>The embedded default: a SQLite file (WAL) under <c>App_Data/</c>.</summary>
/// <remarks>
/// New migration, from the repository root:
/// <code>dotnet ef migrations add NAME --project ImageMais.Clinic.Core --context SqliteClinicDbContext --output-dir Data/Migrations/Sqlite</code>
/// </remarks>
public sealed class SqliteClinicDbContext(DbContextOptions<SqliteClinicDbContext> options) : ClinicDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the web app.</summary>
public sealed class SqliteClinicDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteClinicDbContext>
{
    public SqliteClinicDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteClinicDbContext>().UseSqlite("Data Source=design.db").Options);
}
