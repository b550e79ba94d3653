using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Demo;

/// <summary>A demo user just created, with the password shown this once (only its hash is stored).</summary>
public sealed record DemoSignIn(string Role, string Email, string Password);

/// <summary>
/// A demo clinic to try the app with: account "Clínica Demo", its master and a staff user, procedures and doctors,
/// all created through the feature services as a clinic would.
/// </summary>
/// <remarks>
/// Each step creates only what is missing, so a start that stopped half way (or two instances starting together)
/// leaves a whole demo after the next start, and what a clinic changed in it stays as it is.
/// </remarks>
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

    /// <summary>
    /// Creates what is missing of the demo clinic and returns its account. <paramref name="created"/> hears of each
    /// user as soon as it exists, since its password cannot be had again.
    /// </summary>
    public async Task<int> EnsureAsync(Action<DemoSignIn> created, CancellationToken cancellationToken = default)
    {
        var accountId = await EnsureAccountAsync(created, cancellationToken);
        await EnsureStaffAsync(accountId, created, cancellationToken);
        var procedureIds = await EnsureProceduresAsync(accountId, cancellationToken);
        await EnsureDoctorsAsync(accountId, procedureIds, cancellationToken);
        return accountId;
    }

    private async Task<int> EnsureAccountAsync(Action<DemoSignIn> created, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(AccountName, MasterEmail, cancellationToken: cancellationToken);
        if (result.Value is { } account)
        {
            created(new DemoSignIn("master", account.MasterEmail, account.MasterPassword));
        }
        else if (result.Failure!.Kind != FailureKind.Conflict)
        {
            throw Failed(result.Failure);
        }

        // The master's e-mail was taken: an earlier start (or another instance) made the account.
        await using var db = clinicDb.ForSystem();
        var master = await NewUsers.WithEmail(db, NewUsers.NormalizeEmail(MasterEmail)).Select(u => new { u.Id, u.AccountId }).FirstAsync(cancellationToken);

        // AccountService names the first master after the clinic; the demo reads better with a person's name.
        await db.Users.IgnoreQueryFilters().Where(u => u.Id == master.Id && u.Name == AccountName)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.Name, "Dra. Beatriz Master"), cancellationToken);
        return master.AccountId;
    }

    private async Task EnsureStaffAsync(int accountId, Action<DemoSignIn> created, CancellationToken cancellationToken)
    {
        var result = await users.CreateAsync(accountId, new NewUserInput(StaffEmail, "Ana Recepção", UserRole.Staff), cancellationToken);
        if (result.Value is { } staff)
        {
            created(new DemoSignIn("staff", staff.Email, staff.Password));
        }
        else if (result.Failure!.Kind != FailureKind.Conflict)
        {
            throw Failed(result.Failure);
        }
    }

    private async Task<Dictionary<string, int>> EnsureProceduresAsync(int accountId, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var existing in await procedures.ListAsync(accountId, cancellationToken))
        {
            ids.TryAdd(existing.Name, existing.Id);
        }

        foreach (var (name, price) in Procedures.Where(p => !ids.ContainsKey(p.Name)))
        {
            ids[name] = Unwrap(await procedures.CreateAsync(accountId, new ProcedureInput(name, price), cancellationToken)).Id;
        }

        return ids;
    }

    private async Task EnsureDoctorsAsync(int accountId, Dictionary<string, int> ids, CancellationToken cancellationToken)
    {
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
            // A conflict is the doctor's CRM, already in the demo clinic.
            var result = await doctors.CreateAsync(accountId, doctor, cancellationToken);
            if (result.Failure is { Kind: not FailureKind.Conflict } failure)
            {
                throw Failed(failure);
            }
        }
    }

    private static T Unwrap<T>(Result<T> result) => result.Succeeded ? result.Value! : throw Failed(result.Failure!);

    private static InvalidOperationException Failed(Failure failure) => new($"The demo data could not be created: {failure.Message}");
}
