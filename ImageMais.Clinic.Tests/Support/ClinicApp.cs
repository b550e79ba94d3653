using System.Net.Http.Headers;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// The real app on a real Kestrel port (127.0.0.1, a free port) with its own SQLite file, as a test fixture.
/// Extra settings can be given per instance (e.g. a short token lifetime).
/// </summary>
public class ClinicApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "imagemais-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;

    public ClinicApp()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>For derived fixtures that need settings of their own (xunit wants one public constructor).</summary>
    protected ClinicApp(IDictionary<string, string?> settings)
    {
        Directory.CreateDirectory(_folder);
        _settings = new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:Clinic"] = $"Data Source={DatabasePath}",
            ["Authentication:Server:SigningKey"] = TestSigningKey.Pkcs8Base64,
        };
        UseKestrel(0);
    }

    public string DatabasePath => Path.Combine(_folder, "clinic.db");

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temp folder; it does not affect other tests.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: the browser tests run the app as users run it (the host enables static web assets itself).
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public T GetService<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Creates a clinic account with its master user, through the same service the CLI uses.</summary>
    public Task<AccountCreated> CreateAccountAsync(string? name = null) => Services.CreateAccountAsync(name);

    /// <summary>Issues an access token for <paramref name="accountId"/>, as its master user would.</summary>
    public async Task<IssuedAccessToken> IssueTokenAsync(int accountId, TimeSpan? lifetime = null)
    {
        var result = await GetService<AccessTokenService>().IssueAsync(accountId, lifetime: lifetime);
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }

    /// <summary>An HTTP client for the app with no credentials.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

    /// <summary>An HTTP client that sends <paramref name="token"/> as its bearer access token.</summary>
    public HttpClient CreateApiClient(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new account and an API client holding one of its tokens.</summary>
    public async Task<ApiAccount> CreateApiAccountAsync(string? name = null)
    {
        var account = await CreateAccountAsync(name);
        var token = await IssueTokenAsync(account.AccountId);
        return new ApiAccount(account.AccountId, token.Token, token.Id, CreateApiClient(token.Token));
    }
}

/// <summary>An account as an API caller sees it.</summary>
public sealed record ApiAccount(int AccountId, string Token, string TokenId, HttpClient Client);
