using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.Data.Sqlite;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>Database settings (section <c>Database</c>) and start-up preparation.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending migrations at start. Default: yes for the embedded SQLite file; no for SQL Server, whose
    /// schema is deployed with the <c>migrate</c> command or the idempotent script (docs/deploy.md).
    /// </summary>
    public bool? MigrateAtStart { get; set; }
}

public static class DatabaseHosting
{
    public const string DefaultSqliteConnectionString = "Data Source=App_Data/clinic.db";

    public static WebApplicationBuilder AddClinicDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.SectionName));
        var connectionString = builder.Configuration.GetConnectionString("Clinic");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = options.Provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException("ConnectionStrings:Clinic is required when Database:Provider is SqlServer.");
        }

        if (options.Provider == DatabaseProvider.Sqlite)
        {
            connectionString = AnchorSqliteFile(connectionString, builder.Environment.ContentRootPath);
        }

        builder.Services.AddClinicData(options.Provider, connectionString);
        builder.Services.Configure<AccessTokenOptions>(builder.Configuration.GetSection(AccessTokenOptions.SectionName));
        return builder;
    }

    /// <summary>A relative SQLite file is relative to the app's content root, wherever the app is started from.</summary>
    private static string AnchorSqliteFile(string connectionString, string contentRoot)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:" && !Path.IsPathRooted(sqlite.DataSource))
        {
            sqlite.DataSource = Path.Combine(contentRoot, sqlite.DataSource);
        }

        return sqlite.ToString();
    }

    /// <summary>Migrates (when configured) and loads the access-token signing key, before any request is served.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.MigrateAtStart ?? options.Provider == DatabaseProvider.Sqlite)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }

        await app.Services.GetRequiredService<AccessTokenSigningKey>().LoadAsync(app.Lifetime.ApplicationStopping);
    }
}
