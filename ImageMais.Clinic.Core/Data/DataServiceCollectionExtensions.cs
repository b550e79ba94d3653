using ImageMais.Clinic.Data.Interceptors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ClinicDb"/> on the chosen provider. For SQLite, the folder of the database file is created.
    /// </summary>
    public static IServiceCollection AddClinicData(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        services.AddSingleton<AccountOwnershipInterceptor>();

        // Contexts are pooled: every operation opens a short-lived one, and ClinicDb sets its account each time.
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                EnsureSqliteFolder(connectionString);
                services.AddPooledDbContextFactory<SqliteClinicDbContext>((sp, options) => options
                    .UseSqlite(connectionString)
                    .AddInterceptors(sp.GetRequiredService<AccountOwnershipInterceptor>(), SqlitePragmas.Instance));
                services.AddSingleton(sp => new ClinicDb(sp.GetRequiredService<IDbContextFactory<SqliteClinicDbContext>>().CreateDbContext));
                break;
            case DatabaseProvider.SqlServer:
                services.AddPooledDbContextFactory<SqlServerClinicDbContext>((sp, options) => options
                    .UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure())
                    .AddInterceptors(sp.GetRequiredService<AccountOwnershipInterceptor>()));
                services.AddSingleton(sp => new ClinicDb(sp.GetRequiredService<IDbContextFactory<SqlServerClinicDbContext>>().CreateDbContext));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        return services;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
