using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Users;

/// <summary>
/// What every way of adding a user shares (a user joining an account, an account's first master, the demo): the
/// e-mail's stored form, the one-address-one-person rule across accounts, and the new row with its hashed password.
/// </summary>
internal static class NewUsers
{
    // Identity's default normalizer: the form stored here is the form UserManager.FindByEmailAsync looks up at sign-in.
    private static readonly UpperInvariantLookupNormalizer Normalizer = new();

    public static string NormalizeEmail(string email) => Normalizer.NormalizeEmail(email)!;

    /// <summary>The user with this address in any account (addresses are unique across accounts).</summary>
    public static IQueryable<User> WithEmail(ClinicDbContext db, string normalizedEmail) =>
        db.Users.IgnoreQueryFilters().Where(u => u.NormalizedEmail == normalizedEmail);

    public static User Build(int accountId, string email, string name, UserRole role, string password, IPasswordHasher<User> passwordHasher, DateTime createdAt)
    {
        var user = new User
        {
            AccountId = accountId,
            Email = email,
            NormalizedEmail = NormalizeEmail(email),
            Name = name,
            Role = role,
            CreatedAt = createdAt,
        };
        user.PasswordHash = passwordHasher.HashPassword(user, password);
        return user;
    }

    /// <summary>
    /// Runs <paramref name="insert"/> unless <paramref name="email"/> is taken. Someone may take the address between
    /// the check and the insert; the unique index then refuses ours, and the caller gets the same conflict.
    /// </summary>
    /// <param name="field">The input field the conflict is reported on.</param>
    public static async Task<Result<T>> InsertAsync<T>(
        ClinicDb clinicDb, string field, string email, Func<CancellationToken, Task<T>> insert, CancellationToken cancellationToken)
    {
        var normalizedEmail = NormalizeEmail(email);
        if (await IsTakenAsync(clinicDb, normalizedEmail, cancellationToken))
        {
            return EmailTaken(field, email);
        }

        try
        {
            return await insert(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await IsTakenAsync(clinicDb, normalizedEmail, cancellationToken))
            {
                return EmailTaken(field, email);
            }

            throw;
        }
    }

    private static async Task<bool> IsTakenAsync(ClinicDb clinicDb, string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        return await WithEmail(db, normalizedEmail).AnyAsync(cancellationToken);
    }

    private static Failure EmailTaken(string field, string email) =>
        Failure.Conflict(string.Format(Messages.EmailTaken, email), new Dictionary<string, string[]>
        {
            [field] = [string.Format(Messages.EmailTaken, email)],
        });
}
