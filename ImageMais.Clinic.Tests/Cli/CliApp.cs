using ImageMais.Clinic.Data;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Tests.Cli;

/// <summary>The app with one account, whose database file the command line is pointed at.</summary>
public sealed class CliApp : ClinicApp
{
    public AccountCreated Account { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Account = await CreateAccountAsync();
    }

    public Task<CliRun> RunCliAsync(params string[] args) => CliProcess.RunAsync(DatabasePath, args);

    /// <summary>How many rows the command line could have written, over every account.</summary>
    public async Task<(int Accounts, int Users, int Tokens, int RevokedTokens)> CountRowsAsync()
    {
        await using var db = GetService<ClinicDb>().ForSystem();
        return (
            await db.Accounts.CountAsync(),
            await db.Users.IgnoreQueryFilters().CountAsync(),
            await db.AccessTokens.IgnoreQueryFilters().CountAsync(),
            await db.AccessTokens.IgnoreQueryFilters().CountAsync(t => t.RevokedAt != null));
    }
}
