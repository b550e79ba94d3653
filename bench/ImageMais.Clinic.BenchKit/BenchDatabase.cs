using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.BenchKit;

/// <summary>
/// A fresh SQLite file in a folder of its own and one token signing key, shared by the app processes and by the
/// benchmark, which prepares accounts and data through the same feature services as the ops command line.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = $"Data Source={Path.Combine(folder, "clinic.db")}";
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddClinicData(DatabaseProvider.Sqlite, ConnectionString)
            .AddClinicFeatures()
            .Configure<AccessTokenOptions>(o => o.SigningKey = SigningKey)
            .BuildServiceProvider();
    }

    /// <summary>The folder of the database file; deleted on dispose, so scratch files may go there too.</summary>
    public string Folder { get; }

    public string ConnectionString { get; }

    public string SigningKey { get; }

    public ServiceProvider Services { get; }

    /// <summary>A new database under the temp folder <paramref name="name"/>.</summary>
    public static BenchDatabase Create(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new BenchDatabase(folder);
    }

    /// <summary>
    /// What an app process needs to run on this database as an operator runs it (Production). The benchmark is one
    /// client holding many connections and requests per token: no production rate limits.
    /// </summary>
    public Dictionary<string, string> AppEnvironment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Clinic"] = ConnectionString,
        ["AccessTokens__SigningKey"] = SigningKey,
        ["Logging__LogLevel__Default"] = "Warning",
        ["RateLimiting__Enabled"] = "false",
    };

    /// <summary>Reads the signing key's record; call once an app has migrated the database.</summary>
    public Task LoadSigningKeyAsync() => Services.GetRequiredService<AccessTokenSigningKey>().LoadAsync();

    /// <summary>Creates an account and issues one of its access tokens.</summary>
    public async Task<(AccountCreated Account, string Token)> CreateAccountWithTokenAsync(string name, string masterEmail, string? label = null)
    {
        var account = await Services.GetRequiredService<AccountService>().CreateAsync(name, masterEmail);
        var created = account.Value ?? throw new InvalidOperationException(account.Failure!.Message);
        var token = await Services.GetRequiredService<AccessTokenService>().IssueAsync(created.AccountId, label: label);
        return (created, token.Value?.Token ?? throw new InvalidOperationException(token.Failure!.Message));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }
}
