using System.Net;
using System.Text.Json;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ImageMais.Clinic.Tests.Cli;

/// <summary>The ops commands, run as the built executable against the running app's database file.</summary>
public sealed class CliCommandTests(CliApp app) : IClassFixture<CliApp>
{
    [Fact]
    public async Task Accounts_create_prints_the_account_and_a_master_user_who_can_sign_in()
    {
        var email = $"dona-{Guid.NewGuid():N}@clinica.com.br";

        var run = await app.RunCliAsync("accounts", "create", "--name", "Clínica São José", "--master-email", email);

        var json = AssertSucceeded(run, "accountId", "masterUserId", "masterEmail", "masterPassword");
        Assert.Equal(email, json.GetProperty("masterEmail").GetString());
        var password = json.GetProperty("masterPassword").GetString()!;
        await using var db = app.GetService<ClinicDb>().ForAccount(json.GetProperty("accountId").GetInt32());
        var account = await db.Accounts.SingleAsync(a => a.Id == json.GetProperty("accountId").GetInt32());
        Assert.Equal("Clínica São José", account.Name);
        var master = await db.Users.SingleAsync();
        Assert.Equal(json.GetProperty("masterUserId").GetInt32(), master.Id);
        Assert.Equal(UserRole.Master, master.Role);
        Assert.Equal(email, master.Email);
        Assert.Equal(
            PasswordVerificationResult.Success,
            app.GetService<IPasswordHasher<User>>().VerifyHashedPassword(master, master.PasswordHash!, password));
    }

    [Fact]
    public async Task Accounts_create_keeps_the_master_password_it_is_given()
    {
        var run = await app.RunCliAsync(
            "accounts", "create", "--name", "Clínica Norte", "--master-email", $"norte-{Guid.NewGuid():N}@example.com",
            "--master-password", "Recife&Olinda2025");

        var json = AssertSucceeded(run, "accountId", "masterUserId", "masterEmail", "masterPassword");
        Assert.Equal("Recife&Olinda2025", json.GetProperty("masterPassword").GetString());
        await using var db = app.GetService<ClinicDb>().ForAccount(json.GetProperty("accountId").GetInt32());
        var master = await db.Users.SingleAsync();
        Assert.Equal(
            PasswordVerificationResult.Success,
            app.GetService<IPasswordHasher<User>>().VerifyHashedPassword(master, master.PasswordHash!, "Recife&Olinda2025"));
    }

    [Fact]
    public async Task Tokens_issue_prints_a_token_the_app_accepts_recorded_as_issued_by_the_master_user()
    {
        var before = DateTime.UtcNow;

        var run = await app.RunCliAsync(
            "tokens", "issue", "--account", Id(app.Account.AccountId), "--name", "Integração RIS", "--lifetime-minutes", "30");

        var json = AssertSucceeded(run, "id", "token", "expiresAt");
        var expiresText = json.GetProperty("expiresAt").GetString()!;
        Assert.EndsWith("Z", expiresText, StringComparison.Ordinal);
        var expiresAt = json.GetProperty("expiresAt").GetDateTime();
        Assert.Equal(DateTimeKind.Utc, expiresAt.Kind);
        Assert.InRange(expiresAt, before.AddMinutes(30).AddSeconds(-1), DateTime.UtcNow.AddMinutes(30).AddSeconds(1));

        var tokens = app.GetService<AccessTokenService>();
        var validation = await new JsonWebTokenHandler { MapInboundClaims = false }
            .ValidateTokenAsync(json.GetProperty("token").GetString(), tokens.ValidationParameters());
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var identity = await tokens.CheckAsync(new System.Security.Claims.ClaimsPrincipal(validation.ClaimsIdentity));
        Assert.NotNull(identity);
        Assert.Equal(json.GetProperty("id").GetString(), identity.TokenId);
        Assert.Equal(app.Account.AccountId, identity.AccountId);
        Assert.Equal(app.Account.MasterUserId, identity.UserId);

        await using var db = app.GetService<ClinicDb>().ForAccount(app.Account.AccountId);
        var record = await db.AccessTokens.SingleAsync(t => t.Id == json.GetProperty("id").GetString());
        Assert.Equal("Integração RIS", record.Label);
        Assert.Equal(app.Account.MasterUserId, record.IssuedByUserId);
        Assert.Equal(expiresAt, record.ExpiresAt);
        Assert.DoesNotContain(json.GetProperty("token").GetString()!, JsonSerializer.Serialize(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_issue_gives_an_hour_long_token_labelled_API_by_default()
    {
        var run = await app.RunCliAsync("tokens", "issue", "--account", Id(app.Account.AccountId));

        var json = AssertSucceeded(run, "id", "token", "expiresAt");
        await using var db = app.GetService<ClinicDb>().ForAccount(app.Account.AccountId);
        var record = await db.AccessTokens.SingleAsync(t => t.Id == json.GetProperty("id").GetString());
        Assert.Equal("API", record.Label);
        Assert.Equal(TimeSpan.FromHours(1), record.ExpiresAt - record.IssuedAt);
    }

    [Fact]
    public async Task Tokens_revoke_stops_the_token_at_once()
    {
        var issued = await app.IssueTokenAsync(app.Account.AccountId);
        var tokens = app.GetService<AccessTokenService>();
        Assert.True(await tokens.IsActiveAsync(issued.Id));

        var run = await app.RunCliAsync("tokens", "revoke", "--id", issued.Id);

        var json = AssertSucceeded(run, "id", "revoked");
        Assert.Equal(issued.Id, json.GetProperty("id").GetString());
        Assert.True(json.GetProperty("revoked").GetBoolean());
        Assert.False(await tokens.IsActiveAsync(issued.Id));
    }

    /// <summary>Stands for the fixture's account id in <see cref="BadInput"/>.</summary>
    private const string Account = "{account}";

    /// <summary>Arguments, and a part the one-line message must contain (the option or value at fault).</summary>
    public static TheoryData<string[], string?> BadInput => new()
    {
        { ["frobnicate"], "frobnicate" },
        { ["accounts"], null },
        { ["accounts", "delete", "--id", "1"], "delete" },
        { ["accounts", "create", "--master-email", "bad-input@example.com"], "--name" },
        { ["accounts", "create", "--name", "Clínica"], "--master-email" },
        { ["accounts", "create", "--name", "Clínica", "--master-email", "not-an-email"], "--master-email" },
        { ["accounts", "create", "--name", "   ", "--master-email", "bad-input@example.com"], "--name" },
        { ["accounts", "create", "--name", "Clínica", "--master-email", "bad-input@example.com", "--master-password", "short"], "--master-password" },
        { ["accounts", "create", "--name", "Clínica", "--master-email", "bad-input@example.com", "--plan", "gold"], "--plan" },
        { ["tokens", "issue"], "--account" },
        { ["tokens", "issue", "--account", "abc"], "--account" },
        { ["tokens", "issue", "--account", "0"], "--account" },
        { ["tokens", "issue", "--account", "999999"], "999999" },
        { ["tokens", "issue", "--account", Account, "--lifetime-minutes", "0"], "--lifetime-minutes" },
        { ["tokens", "issue", "--account", Account, "--lifetime-minutes", "61"], "--lifetime-minutes" },
        { ["tokens", "issue", "--account", Account, "--lifetime-minutes", "soon"], "--lifetime-minutes" },
        { ["tokens", "issue", "--account", Account, "--name", new string('x', AccessToken.LabelMaxLength + 1)], "--name" },
        { ["tokens", "revoke"], "--id" },
        { ["tokens", "revoke", "--id", "no-such-token"], "no-such-token" },
        { ["migrate", "--force"], "--force" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_exits_non_zero_with_one_line_on_stderr_and_writes_nothing(string[] args, string? messagePart)
    {
        var before = await app.CountRowsAsync();

        var run = await app.RunCliAsync([.. args.Select(a => a == Account ? Id(app.Account.AccountId) : a)]);

        AssertRefused(run, messagePart);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task Accounts_create_refuses_a_master_email_already_in_use()
    {
        var taken = await app.CreateAccountAsync();
        await using (var db = app.GetService<ClinicDb>().ForAccount(taken.AccountId))
        {
            Assert.Equal(taken.MasterEmail, (await db.Users.SingleAsync()).Email);
        }

        var before = await app.CountRowsAsync();

        var sameEmailOtherCase = taken.MasterEmail.ToUpperInvariant();

        var run = await app.RunCliAsync("accounts", "create", "--name", "Outra", "--master-email", sameEmailOtherCase);

        AssertRefused(run, sameEmailOtherCase);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task Tokens_revoke_refuses_a_token_already_revoked()
    {
        var issued = await app.IssueTokenAsync(app.Account.AccountId);
        Assert.True((await app.GetService<AccessTokenService>().RevokeAsync(app.Account.AccountId, issued.Id)).Succeeded);
        await using var db = app.GetService<ClinicDb>().ForAccount(app.Account.AccountId);
        var revokedAt = (await db.AccessTokens.AsNoTracking().SingleAsync(t => t.Id == issued.Id)).RevokedAt;

        var run = await app.RunCliAsync("tokens", "revoke", "--id", issued.Id);

        AssertRefused(run, issued.Id);
        Assert.Equal(revokedAt, (await db.AccessTokens.AsNoTracking().SingleAsync(t => t.Id == issued.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_malformed_command_line_does_not_even_create_the_database()
    {
        var folder = Directory.CreateTempSubdirectory("imagemais-cli-");
        try
        {
            var databasePath = Path.Combine(folder.FullName, "clinic.db");

            var run = await CliProcess.RunAsync(databasePath, "tokens", "issue", "--account", "abc");

            AssertRefused(run, "--account");
            Assert.False(File.Exists(databasePath));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_applies_every_migration_to_a_new_database_then_finds_nothing_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("imagemais-cli-");
        try
        {
            var databasePath = Path.Combine(folder.FullName, "clinic.db");
            await using var expected = new SqliteClinicDbContextDesignFactory().CreateDbContext([]);

            var first = await CliProcess.RunAsync(databasePath, "migrate");
            var second = await CliProcess.RunAsync(databasePath, "migrate");

            var json = AssertSucceeded(first, "provider", "applied");
            Assert.Equal("Sqlite", json.GetProperty("provider").GetString());
            Assert.Equal(expected.Database.GetMigrations(), json.GetProperty("applied").EnumerateArray().Select(m => m.GetString()));
            Assert.Empty(AssertSucceeded(second, "provider", "applied").GetProperty("applied").EnumerateArray());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--urls")]
    [InlineData("ASPNETCORE_URLS")]
    public async Task Without_a_command_the_executable_starts_the_web_app_on_the_address_it_is_given(string how)
    {
        var folder = Directory.CreateTempSubdirectory("imagemais-cli-");
        using var process = how == "--urls"
            ? CliProcess.Start(Path.Combine(folder.FullName, "clinic.db"), "--urls", "http://127.0.0.1:0")
            : CliProcess.Start(Path.Combine(folder.FullName, "clinic.db"), new Dictionary<string, string> { [how] = "http://127.0.0.1:0" });
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            string? address = null;
            while (address is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
                address = at < 0 ? null : line[(at + "Now listening on: ".Length)..].Trim();
            }

            Assert.NotNull(address);
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            using var response = await client.GetAsync("/", timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            folder.Delete(recursive: true);
        }
    }

    private static JsonElement AssertSucceeded(CliRun run, params string[] properties)
    {
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        Assert.Equal("", run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var document = JsonDocument.Parse(lines[0]);
        Assert.Equal(properties, document.RootElement.EnumerateObject().Select(p => p.Name));
        return document.RootElement.Clone();
    }

    private static void AssertRefused(CliRun run, string? messagePart)
    {
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"stderr should be one line: {run.Stderr}");
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, lines[0], StringComparison.Ordinal);
        }
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
