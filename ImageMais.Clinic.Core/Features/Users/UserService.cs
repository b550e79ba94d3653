using System.Data;
using System.Linq.Expressions;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Users;

/// <summary>
/// An account's users: list, add, disable and enable, reset a password. An account always keeps at least one
/// active master, so someone can still manage its users and tokens.
/// </summary>
public sealed class UserService(ClinicDb clinicDb, IPasswordHasher<User> passwordHasher, TimeProvider time)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(int accountId, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Users.AsNoTracking()
            .OrderBy(u => u.Name).ThenBy(u => u.Id)
            .Select(u => new UserSummary(u.Id, u.Email, u.Name, u.Role, u.IsActive, u.LockoutEnd != null && u.LockoutEnd > now, u.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds a user to the account; the e-mail must be unused in every account (it is how people sign in).</summary>
    public async Task<Result<IssuedPassword>> CreateAsync(int accountId, NewUserInput input, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!BrazilianRules.TryNormalizeEmail(input.Email, out var email))
        {
            errors.Add("email", string.IsNullOrWhiteSpace(input.Email) ? Messages.EmailRequired : Messages.EmailInvalid);
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", Messages.NameRequired);
        }
        else if (name.Length > User.NameMaxLength)
        {
            errors.Add("name", string.Format(Messages.NameTooLong, User.NameMaxLength));
        }

        if (!Enum.IsDefined(input.Role))
        {
            errors.Add("role", Messages.UserRoleInvalid);
        }

        var password = string.IsNullOrEmpty(input.Password) ? PasswordPolicy.Generate() : input.Password;
        if (PasswordPolicy.Check(password) is { } weak)
        {
            errors.Add("password", weak);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await NewUsers.InsertAsync(clinicDb, "email", email!, async ct =>
        {
            await using var db = clinicDb.ForAccount(accountId);
            var user = NewUsers.Build(accountId, email!, name, input.Role, password, passwordHasher, time.UtcNowMs());
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            return new IssuedPassword(user.Id, user.Email, password);
        }, cancellationToken);
    }

    /// <summary>Disables a user, who can no longer sign in; refused for the account's last active master.</summary>
    public Task<Result<Done>> DisableAsync(int accountId, int userId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, userId, active: false, cancellationToken);

    public Task<Result<Done>> EnableAsync(int accountId, int userId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, userId, active: true, cancellationToken);

    /// <summary>Sets a new password (generated unless given) and lifts any lockout; open sessions of the user end.</summary>
    public async Task<Result<IssuedPassword>> ResetPasswordAsync(int accountId, int userId, string? newPassword = null, CancellationToken cancellationToken = default)
    {
        var password = string.IsNullOrEmpty(newPassword) ? PasswordPolicy.Generate() : newPassword;
        if (PasswordPolicy.Check(password) is { } weak)
        {
            return Failure.Invalid("password", weak);
        }

        await using var db = clinicDb.ForAccount(accountId);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Failure.NotFound(string.Format(Messages.UserNotFound, userId));
        }

        user.PasswordHash = passwordHasher.HashPassword(user, password);
        user.SecurityStamp = User.NewSecurityStamp();
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedPassword(user.Id, user.Email, password);
    }

    /// <summary>The user behind a session, with their account (any account: sign-in comes before the account is known).</summary>
    public async Task<SignInUser?> FindForSignInAsync(int userId, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForSystem();
        return await SignInUsers(db, u => u.Id == userId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The user with this e-mail in any account (how a user of an external provider is matched).</summary>
    public async Task<SignInUser?> FindForSignInByEmailAsync(string? email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var normalizedEmail = NewUsers.NormalizeEmail(email.Trim());
        await using var db = clinicDb.ForSystem();
        return await SignInUsers(db, u => u.NormalizedEmail == normalizedEmail).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<Result<Done>> SetActiveAsync(int accountId, int userId, bool active, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForAccount(accountId);

        // Serializable: two masters disabling each other at the same moment must not both succeed.
        return await db.InTransactionAsync(IsolationLevel.Serializable, async ct =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return Failure.NotFound(string.Format(Messages.UserNotFound, userId));
            }

            if (user.IsActive == active)
            {
                return new Done();
            }

            if (!active && user.Role == UserRole.Master
                && !await db.Users.AnyAsync(u => u.Id != userId && u.IsActive && u.Role == UserRole.Master, ct))
            {
                return Failure.Conflict(string.Format(Messages.LastActiveMaster, user.Name));
            }

            user.IsActive = active;
            user.SecurityStamp = User.NewSecurityStamp();
            await db.SaveChangesAsync(ct);
            return (Result<Done>)new Done();
        }, cancellationToken);
    }

    private static IQueryable<SignInUser> SignInUsers(ClinicDbContext db, Expression<Func<User, bool>> which) =>
        db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(which)
            .Select(u => new SignInUser(u.Id, u.AccountId, u.Account!.Name, u.Email, u.Name, u.Role, u.IsActive, u.SecurityStamp));
}
