using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Users;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Data;

/// <summary>A real, migrated SQLite file with the app's data and feature services over it (no web host).</summary>
public sealed class SqliteDatabase : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("imagemais-data-");
    private ServiceProvider _services = null!;

    public string Path => System.IO.Path.Combine(_folder.FullName, "clinic.db");

    public IServiceProvider Services => _services;

    public ClinicDb ClinicDb => _services.GetRequiredService<ClinicDb>();

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddClinicData(DatabaseProvider.Sqlite, $"Data Source={Path}")
            .AddClinicFeatures()
            .AddClinicUsers()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync();

        // As the app does before it serves: tokens are issued and checked with the key kept in this database.
        await _services.GetRequiredService<AccessTokenSigningKey>().LoadAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
