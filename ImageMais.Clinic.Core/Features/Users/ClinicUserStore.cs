using System.Globalization;
using System.Runtime.CompilerServices;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Users;

/// <summary>
/// ASP.NET Core Identity's view of the clinic's <see cref="User"/> table, so Identity's <see cref="UserManager{TUser}"/>
/// checks passwords (re-hashing old formats) and counts failures towards lockout on the same rows the rest of the
/// app uses. The user name is the e-mail. Each write opens its own short-lived context.
/// </summary>
/// <remarks>
/// The users Identity works on are copies read earlier, and a master may disable the user or reset their password
/// meanwhile. So an update writes only the columns Identity changed through this store, and only while the row's
/// security stamp is still the one read (every disable, enable and reset changes it); otherwise it reports a
/// concurrency failure and the master's change stands. Failed sign-ins are counted in the database, so attempts
/// made in parallel all count towards the lockout.
/// </remarks>
public sealed class ClinicUserStore(ClinicDb clinicDb, IdentityErrorDescriber errors) :
    IUserPasswordStore<User>,
    IUserEmailStore<User>,
    IUserSecurityStampStore<User>,
    IUserLockoutStore<User>
{
    public async Task<IdentityResult> CreateAsync(User user, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return IdentityResult.Success;
    }

    private readonly ConditionalWeakTable<User, Changes> _changes = new();

    public async Task<IdentityResult> UpdateAsync(User user, CancellationToken cancellationToken)
    {
        var changes = ChangesOf(user);
        if (changes.Stale)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        if (!changes.Any)
        {
            return IdentityResult.Success;
        }

        await using var db = clinicDb.ForSystem();
        var updated = await Unchanged(db, user, changes).ExecuteUpdateAsync(set =>
        {
            if (changes.Email)
            {
                set.SetProperty(u => u.Email, user.Email).SetProperty(u => u.NormalizedEmail, user.NormalizedEmail);
            }

            if (changes.PasswordHash)
            {
                set.SetProperty(u => u.PasswordHash, user.PasswordHash);
            }

            if (changes.SecurityStamp)
            {
                set.SetProperty(u => u.SecurityStamp, user.SecurityStamp);
            }

            if (changes.LockoutEnd)
            {
                set.SetProperty(u => u.LockoutEnd, user.LockoutEnd);
            }

            if (changes.AccessFailedCountReset)
            {
                set.SetProperty(u => u.AccessFailedCount, 0);
            }
        }, cancellationToken);
        if (updated == 0)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        _changes.AddOrUpdate(user, new Changes(user.SecurityStamp));
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(User user, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        db.Users.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
        return IdentityResult.Success;
    }

    public async Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (!int.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        await using var db = clinicDb.ForSystem();
        return Read(await db.Users.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken));
    }

    public Task<User?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindByEmailAsync(normalizedUserName, cancellationToken);

    public async Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        return Read(await db.Users.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken));
    }

    public Task<string> GetUserIdAsync(User user, CancellationToken cancellationToken) =>
        Task.FromResult(user.Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(User user, string? userName, CancellationToken cancellationToken) =>
        SetEmailAsync(user, userName, cancellationToken);

    public Task<string?> GetNormalizedUserNameAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(User user, string? normalizedName, CancellationToken cancellationToken) =>
        SetNormalizedEmailAsync(user, normalizedName, cancellationToken);

    public Task SetEmailAsync(User user, string? email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (user.Email != email)
        {
            ChangesOf(user).Email = true;
            user.Email = email;
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    // Addresses are entered by the clinic's master, who vouches for them; there is no confirmation mail.
    public Task<bool> GetEmailConfirmedAsync(User user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(User user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(User user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        if (user.NormalizedEmail != normalizedEmail)
        {
            ChangesOf(user).Email = true;
            user.NormalizedEmail = normalizedEmail;
        }

        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(User user, string? passwordHash, CancellationToken cancellationToken)
    {
        ChangesOf(user).PasswordHash = true;
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(User user, string stamp, CancellationToken cancellationToken)
    {
        ChangesOf(user).SecurityStamp = true;
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(User user, CancellationToken cancellationToken) =>
        Task.FromResult<DateTimeOffset?>(user.LockoutEnd is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : null);

    public Task SetLockoutEndDateAsync(User user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        ChangesOf(user).LockoutEnd = true;
        user.LockoutEnd = lockoutEnd?.UtcDateTime;
        return Task.CompletedTask;
    }

    // Counted in the database at once, not on the copy: wrong passwords tried in parallel must all count.
    public async Task<int> IncrementAccessFailedCountAsync(User user, CancellationToken cancellationToken)
    {
        var changes = ChangesOf(user);
        await using var db = clinicDb.ForSystem();
        if (await Unchanged(db, user, changes).ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken) == 1)
        {
            user.AccessFailedCount = await db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Id).Select(u => u.AccessFailedCount).FirstAsync(cancellationToken);
            changes.AccessFailedCountReset = false;
        }
        else
        {
            // A master changed the user since it was read; the update that follows reports it.
            changes.Stale = true;
        }

        return user.AccessFailedCount;
    }

    public Task ResetAccessFailedCountAsync(User user, CancellationToken cancellationToken)
    {
        ChangesOf(user).AccessFailedCountReset = true;
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(User user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    // Every local user can be locked out: there are no service accounts that sign in with a password.
    public Task<bool> GetLockoutEnabledAsync(User user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(User user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private static IQueryable<User> Unchanged(ClinicDbContext db, User user, Changes changes) =>
        db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Id && u.SecurityStamp == changes.StampRead);

    private User? Read(User? user)
    {
        if (user is not null)
        {
            _changes.AddOrUpdate(user, new Changes(user.SecurityStamp));
        }

        return user;
    }

    // A user handed in without being read here counts as read as it is now.
    private Changes ChangesOf(User user) => _changes.GetValue(user, u => new Changes(u.SecurityStamp));

    /// <summary>The security stamp a user was read with, and which columns Identity has changed since.</summary>
    private sealed class Changes(string stampRead)
    {
        public string StampRead { get; } = stampRead;

        public bool Email { get; set; }

        public bool PasswordHash { get; set; }

        public bool SecurityStamp { get; set; }

        public bool LockoutEnd { get; set; }

        public bool AccessFailedCountReset { get; set; }

        /// <summary>The row was found changed by someone else; nothing more is written from this copy.</summary>
        public bool Stale { get; set; }

        public bool Any => Email || PasswordHash || SecurityStamp || LockoutEnd || AccessFailedCountReset;
    }
}
