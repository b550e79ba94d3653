using System.Data;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Accounts;

/// <summary>What <see cref="AccountService.CreateAsync"/> made; the password is shown this once.</summary>
public sealed record AccountCreated(int AccountId, int MasterUserId, string MasterEmail, string MasterPassword);

/// <summary>Clinic accounts (licences) and their first master user.</summary>
public sealed class AccountService(ClinicDb clinicDb, IPasswordHasher<User> passwordHasher, TimeProvider time)
{
    /// <summary>
    /// Creates an account with its master user, who can sign in with <paramref name="masterPassword"/> (or a
    /// generated one). Both are written in one transaction, or neither.
    /// </summary>
    public async Task<Result<AccountCreated>> CreateAsync(string? name, string? masterEmail, string? masterPassword = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        var accountName = name?.Trim() ?? "";
        if (accountName.Length == 0)
        {
            errors.Add("name", Messages.NameRequired);
        }
        else if (accountName.Length > Account.NameMaxLength)
        {
            errors.Add("name", string.Format(Messages.NameTooLong, Account.NameMaxLength));
        }

        if (!BrazilianRules.TryNormalizeEmail(masterEmail, out var email))
        {
            errors.Add("masterEmail", Messages.EmailInvalid);
        }

        var password = masterPassword ?? PasswordPolicy.Generate();
        if (PasswordPolicy.Check(password) is { } weak)
        {
            errors.Add("masterPassword", weak);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await NewUsers.InsertAsync(clinicDb, "masterEmail", email!, async ct =>
        {
            await using var db = clinicDb.ForSystem();

            // The account gets its id first, then its master joins it, in one transaction.
            return await db.InTransactionAsync(IsolationLevel.ReadCommitted, async attempt =>
            {
                var now = time.UtcNowMs();
                var account = new Account { Name = accountName, CreatedAt = now };
                db.Accounts.Add(account);
                await db.SaveChangesAsync(attempt);
                var master = NewUsers.Build(account.Id, email!, accountName, UserRole.Master, password, passwordHasher, now);
                db.Users.Add(master);
                await db.SaveChangesAsync(attempt);
                return new AccountCreated(account.Id, master.Id, master.Email, password);
            }, ct);
        }, cancellationToken);
    }
}
