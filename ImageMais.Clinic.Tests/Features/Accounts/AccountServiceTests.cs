using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Features.Accounts;

public sealed class AccountServiceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private AccountService Accounts => database.Services.GetRequiredService<AccountService>();

    [Fact]
    public async Task An_account_is_created_with_a_master_user_whose_password_is_stored_only_as_a_hash()
    {
        var email = $"Dono.{Guid.NewGuid():N}@Clinica.com.br";

        var created = (await Accounts.CreateAsync("  Clínica Boa Vista ", $" {email} ", "Recife&Olinda2025")).Value!;

        await using var db = database.ClinicDb.ForAccount(created.AccountId);
        Assert.Equal("Clínica Boa Vista", (await db.Accounts.SingleAsync(a => a.Id == created.AccountId)).Name);
        var master = await db.Users.SingleAsync();
        Assert.Equal((created.MasterUserId, email, email.ToUpperInvariant(), UserRole.Master, true), (master.Id, master.Email, master.NormalizedEmail, master.Role, master.IsActive));
        Assert.Equal(email, created.MasterEmail);
        Assert.DoesNotContain("Recife&Olinda2025", master.PasswordHash!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_email_is_taken_across_accounts_whatever_its_case_and_nothing_is_written()
    {
        var first = (await Accounts.CreateAsync("Primeira", $"dono-{Guid.NewGuid():N}@example.com")).Value!;
        var before = await CountAsync();

        var result = await Accounts.CreateAsync("Segunda", first.MasterEmail.ToUpperInvariant());

        Assert.Equal(FailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal(["masterEmail"], result.Failure.Errors!.Keys);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_at_once_and_nothing_is_written()
    {
        var before = await CountAsync();

        var result = await Accounts.CreateAsync(" ", "not-an-email", "short");

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(["masterEmail", "masterPassword", "name"], result.Failure.Errors!.Keys.Order());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_name_longer_than_200_characters_is_refused()
    {
        var result = await Accounts.CreateAsync(new string('x', Account.NameMaxLength + 1), $"x-{Guid.NewGuid():N}@example.com");

        Assert.Equal(["name"], result.Failure!.Errors!.Keys);
    }

    private async Task<(int, int)> CountAsync()
    {
        await using var db = database.ClinicDb.ForSystem();
        return (await db.Accounts.CountAsync(), await db.Users.IgnoreQueryFilters().CountAsync());
    }
}
