using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Demo;

/// <summary>The demo users created by <see cref="DemoData.EnsureAsync"/>, with the passwords shown this once.</summary>
public sealed record DemoCredentials(int AccountId, string MasterEmail, string MasterPassword, string StaffEmail, string StaffPassword);

/// <summary>
/// A demo clinic to try the app with: account "Clínica Demo", its master and a staff user, procedures and doctors,
/// all created through the feature services as a clinic would. Created once; later starts leave it as it is.
/// </summary>
public sealed class DemoData(
    ClinicDb clinicDb, AccountService accounts, UserService users, ProcedureService procedures, DoctorService doctors)
{
    public const string AccountName = "Clínica Demo";
    public const string MasterEmail = "master@demo.clinic";
    public const string StaffEmail = "staff@demo.clinic";

    private static readonly (string Name, decimal Price)[] Procedures =
    [
        ("Ultrassom: Tireoide", 100m),
        ("Ultrassom: Transfontanela", 110m),
        ("Ultrassom: Abdome Total", 180m),
        ("Ultrassom: Obstétrico", 150m),
        ("Ressonância Magnética: Crânio", 650m),
        ("Tomografia: Tórax", 420m),
        ("Raio-X: Tórax PA e Perfil", 85.5m),
        ("Mamografia Digital Bilateral", 230m),
    ];

    /// <summary>Creates the demo clinic unless its master already exists; returns the credentials only when it created them.</summary>
    public async Task<DemoCredentials?> EnsureAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = clinicDb.ForSystem())
        {
            var normalized = MasterEmail.ToUpperInvariant();
            if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                return null;
            }
        }

        var account = Unwrap(await accounts.CreateAsync(AccountName, MasterEmail, cancellationToken: cancellationToken));
        await RenameMasterAsync(account.AccountId, account.MasterUserId, cancellationToken);
        var staff = Unwrap(await users.CreateAsync(account.AccountId, new NewUserInput(StaffEmail, "Ana Recepção", UserRole.Staff), cancellationToken));

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, price) in Procedures)
        {
            ids[name] = Unwrap(await procedures.CreateAsync(account.AccountId, new ProcedureInput(name, price), cancellationToken)).Id;
        }

        DoctorInput[] demoDoctors =
        [
            new("Dr. João Silva", "12345/PE", "joao.silva@example.com", "(81) 99999-9999", false,
                [ids["Ultrassom: Tireoide"], ids["Ultrassom: Transfontanela"], ids["Ultrassom: Abdome Total"]]),
            new("Dra. Maria Oliveira", "654321/SP", "maria.oliveira@example.com", "(11) 3333-4444", true,
                [ids["Ressonância Magnética: Crânio"], ids["Tomografia: Tórax"]]),
            new("Dr. Carlos Souza", "77889/RJ", "carlos.souza@example.com", "(21) 98888-7777", false,
                [ids["Raio-X: Tórax PA e Perfil"], ids["Mamografia Digital Bilateral"], ids["Ultrassom: Obstétrico"]]),
        ];
        foreach (var doctor in demoDoctors)
        {
            Unwrap(await doctors.CreateAsync(account.AccountId, doctor, cancellationToken));
        }

        return new DemoCredentials(account.AccountId, account.MasterEmail, account.MasterPassword, staff.Email, staff.Password);
    }

    // AccountService names the first master after the clinic; the demo reads better with a person's name.
    private async Task RenameMasterAsync(int accountId, int userId, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForAccount(accountId);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "Dra. Beatriz Master"), cancellationToken);
    }

    private static T Unwrap<T>(Result<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"The demo data could not be created: {result.Failure!.Message}");
}
