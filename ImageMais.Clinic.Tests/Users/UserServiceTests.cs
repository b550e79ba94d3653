using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Users;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Users;

public sealed class UserServiceTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    private UserService Users => app.GetService<UserService>();

    [Fact]
    public async Task A_new_user_gets_a_generated_password_that_verifies_against_the_stored_hash()
    {
        var account = await app.CreateAccountAsync();

        var created = await Users.CreateAsync(account.AccountId, new NewUserInput($"  Nova.{Guid.NewGuid():N}@Example.com ", "  Nova Pessoa ", UserRole.Staff));

        Assert.True(created.Succeeded);
        Assert.Null(PasswordPolicy.Check(created.Value!.Password));
        var stored = (await Users.ListAsync(account.AccountId)).Single(u => u.Id == created.Value.UserId);
        Assert.Equal(("Nova Pessoa", UserRole.Staff, true), (stored.Name, stored.Role, stored.IsActive));
        var user = await FindAsync(created.Value.UserId);
        Assert.Equal(PasswordVerificationResult.Success, app.GetService<IPasswordHasher<User>>().VerifyHashedPassword(user, user.PasswordHash!, created.Value.Password));
    }

    [Fact]
    public async Task An_email_already_used_in_another_account_is_refused()
    {
        var first = await app.CreateAccountAsync();
        var second = await app.CreateAccountAsync();

        var result = await Users.CreateAsync(second.AccountId, new NewUserInput(first.MasterEmail.ToUpperInvariant(), "Duplicada", UserRole.Staff));

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.DoesNotContain(await Users.ListAsync(second.AccountId), u => u.Name == "Duplicada");
    }

    [Theory]
    [InlineData("", "Nome", "email")]
    [InlineData("not-an-email", "Nome", "email")]
    [InlineData("ok@example.com", "  ", "name")]
    public async Task Invalid_input_is_refused_field_by_field(string email, string name, string field)
    {
        var account = await app.CreateAccountAsync();

        var result = await Users.CreateAsync(account.AccountId, new NewUserInput(email, name, UserRole.Staff));

        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.True(result.Failure!.Errors!.ContainsKey(field));
    }

    [Fact]
    public async Task A_weak_password_is_refused()
    {
        var account = await app.CreateAccountAsync();

        var result = await Users.CreateAsync(account.AccountId, new NewUserInput($"{Guid.NewGuid():N}@example.com", "Fraca", UserRole.Staff, "abc"));

        Assert.True(result.Failure!.Errors!.ContainsKey("password"));
    }

    [Fact]
    public async Task The_last_active_master_cannot_be_disabled()
    {
        var account = await app.CreateAccountAsync();

        var result = await Users.DisableAsync(account.AccountId, account.MasterUserId);

        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.True((await FindAsync(account.MasterUserId)).IsActive);
    }

    [Fact]
    public async Task A_master_can_be_disabled_while_another_master_is_active_and_then_enabled_again()
    {
        var account = await app.CreateAccountAsync();
        var second = (await Users.CreateAsync(account.AccountId, new NewUserInput($"{Guid.NewGuid():N}@example.com", "Segunda Master", UserRole.Master))).Value!;
        var stampBefore = (await FindAsync(account.MasterUserId)).SecurityStamp;

        Assert.True((await Users.DisableAsync(account.AccountId, account.MasterUserId)).Succeeded);
        var disabled = await FindAsync(account.MasterUserId);
        Assert.False(disabled.IsActive);
        Assert.NotEqual(stampBefore, disabled.SecurityStamp);

        // Now the second master is the last active one.
        Assert.Equal(FailureKind.Conflict, (await Users.DisableAsync(account.AccountId, second.UserId)).Failure?.Kind);
        Assert.True((await Users.EnableAsync(account.AccountId, account.MasterUserId)).Succeeded);
        Assert.True((await FindAsync(account.MasterUserId)).IsActive);
    }

    [Fact]
    public async Task Resetting_a_password_replaces_it_and_lifts_a_lockout()
    {
        var account = await app.CreateAccountAsync();
        await LockOutAsync(account.MasterUserId);

        var reset = await Users.ResetPasswordAsync(account.AccountId, account.MasterUserId);

        Assert.True(reset.Succeeded);
        var user = await FindAsync(account.MasterUserId);
        Assert.Null(user.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);
        var hasher = app.GetService<IPasswordHasher<User>>();
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, user.PasswordHash!, reset.Value!.Password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash!, account.MasterPassword));
    }

    [Fact]
    public async Task Another_accounts_user_is_not_found()
    {
        var first = await app.CreateAccountAsync();
        var second = await app.CreateAccountAsync();

        Assert.Equal(FailureKind.NotFound, (await Users.ResetPasswordAsync(first.AccountId, second.MasterUserId)).Failure?.Kind);
        Assert.Equal(FailureKind.NotFound, (await Users.DisableAsync(first.AccountId, second.MasterUserId)).Failure?.Kind);
        Assert.DoesNotContain(await Users.ListAsync(first.AccountId), u => u.Id == second.MasterUserId);
    }

    [Fact]
    public async Task The_master_made_by_accounts_create_is_found_for_sign_in_by_email()
    {
        var account = await app.CreateAccountAsync("Clínica Sol");

        var user = await Users.FindForSignInByEmailAsync(account.MasterEmail.ToUpperInvariant());

        Assert.NotNull(user);
        Assert.Equal((account.MasterUserId, account.AccountId, "Clínica Sol", UserRole.Master, true), (user.UserId, user.AccountId, user.AccountName, user.Role, user.IsActive));
    }

    [Fact]
    public async Task A_disable_made_between_the_sign_in_lookup_and_a_wrong_password_is_not_undone()
    {
        var account = await app.CreateAccountAsync();
        var staff = (await Users.CreateAsync(account.AccountId, new NewUserInput($"{Guid.NewGuid():N}@example.com", "Recepção", UserRole.Staff))).Value!;
        var signIn = UserManager();
        var readAtSignIn = await signIn.FindByEmailAsync(staff.Email);

        Assert.True((await Users.DisableAsync(account.AccountId, staff.UserId)).Succeeded);
        var failed = await signIn.AccessFailedAsync(readAtSignIn!);

        Assert.False(failed.Succeeded);
        var stored = await FindAsync(staff.UserId);
        Assert.False(stored.IsActive);
    }

    [Fact]
    public async Task A_password_reset_made_between_the_sign_in_lookup_and_a_lockout_is_not_undone()
    {
        var account = await app.CreateAccountAsync();
        var signIn = UserManager();
        var readAtSignIn = (await signIn.FindByIdAsync(account.MasterUserId.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        for (var i = 1; i < UsersServiceCollectionExtensions.MaxFailedSignIns; i++)
        {
            Assert.True((await signIn.AccessFailedAsync(readAtSignIn)).Succeeded);
        }

        var reset = (await Users.ResetPasswordAsync(account.AccountId, account.MasterUserId)).Value!;
        Assert.False((await signIn.AccessFailedAsync(readAtSignIn)).Succeeded);

        var stored = await FindAsync(account.MasterUserId);
        Assert.False(await UserManager().IsLockedOutAsync(stored));
        Assert.True(await UserManager().CheckPasswordAsync(stored, reset.Password));
    }

    [Fact]
    public async Task Wrong_passwords_counted_on_copies_read_at_the_same_time_all_count()
    {
        var account = await app.CreateAccountAsync();
        var id = account.MasterUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = UserManager();
        var second = UserManager();
        var firstCopy = (await first.FindByIdAsync(id))!;
        var secondCopy = (await second.FindByIdAsync(id))!;

        Assert.True((await first.AccessFailedAsync(firstCopy)).Succeeded);
        Assert.True((await second.AccessFailedAsync(secondCopy)).Succeeded);

        Assert.Equal(2, (await FindAsync(account.MasterUserId)).AccessFailedCount);
    }

    // Identity's user manager is scoped, as in a request.
    private UserManager<User> UserManager() => app.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<User>>();

    private async Task<User> FindAsync(int userId) =>
        await UserManager().FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? throw new InvalidOperationException($"User {userId} not found.");

    private async Task LockOutAsync(int userId)
    {
        var users = UserManager();
        for (var i = 0; i < UsersServiceCollectionExtensions.MaxFailedSignIns; i++)
        {
            await users.AccessFailedAsync(await FindAsync(userId));
        }

        Assert.True(await users.IsLockedOutAsync(await FindAsync(userId)));
    }
}
