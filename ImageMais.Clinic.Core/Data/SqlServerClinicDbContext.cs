using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ImageMais.Clinic.Data;

/// <summary>The production database: SQL Server (<c>Database:Provider=SqlServer</c>).</summary>
/// <remarks>
/// New migration, from the repository root:
/// <code>dotnet ef migrations add NAME --project ImageMais.Clinic.Core --context SqlServerClinicDbContext --output-dir Data/Migrations/SqlServer</code>
/// Idempotent deployment script:
/// <code>dotnet ef migrations script --idempotent --project ImageMais.Clinic.Core --context SqlServerClinicDbContext -o clinic.sql</code>
/// </remarks>
public sealed class SqlServerClinicDbContext(DbContextOptions<SqlServerClinicDbContext> options) : ClinicDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server.</summary>
public sealed class SqlServerClinicDbContextDesignFactory : IDesignTimeDbContextFactory<SqlServerClinicDbContext>
{
    public SqlServerClinicDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerClinicDbContext>()
            .UseSqlServer("Server=(localdb)\\design;Database=ImageMaisClinic;Trusted_Connection=True")
            .Options);
}
