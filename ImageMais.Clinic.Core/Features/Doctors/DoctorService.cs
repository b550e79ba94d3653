using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Features.Doctors;

/// <summary>
/// An account's doctors and the procedures they perform. Each change is one transaction, validated before
/// anything is written, and announced (<c>doctors.created/updated/deleted</c>) only after it commits.
/// </summary>
public sealed class DoctorService(ClinicDb clinicDb, AccountCommitter committer, TimeProvider time, ILogger<DoctorService> logger)
{
    /// <summary>The account's doctors by id; <paramref name="search"/> matches part of the name, CRM or e-mail.</summary>
    public async Task<IReadOnlyList<DoctorDto>> ListAsync(int accountId, string? search = null, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var doctors = db.Doctors.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + EscapeLike(search.Trim()) + "%";
            doctors = doctors.Where(d =>
                EF.Functions.Like(d.Name, pattern, "\\") ||
                EF.Functions.Like(d.Crm, pattern, "\\") ||
                EF.Functions.Like(d.Email, pattern, "\\"));
        }

        return await Project(doctors.OrderBy(d => d.Id)).AsSplitQuery().ToListAsync(cancellationToken);
    }

    public async Task<Result<DoctorDto>> GetAsync(int accountId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var doctor = await Project(db.Doctors.AsNoTracking().Where(d => d.Id == id)).FirstOrDefaultAsync(cancellationToken);
        return doctor is null ? NotFound(id) : doctor;
    }

    public async Task<Result<DoctorDto>> CreateAsync(int accountId, DoctorInput input, CancellationToken cancellationToken = default)
    {
        var valid = DoctorValidator.Validate(input);
        if (valid.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = clinicDb.ForAccount(accountId);
        await OpenForChecksAndCommitAsync(db, cancellationToken);
        var checkedInput = await CheckAgainstAccountAsync(db, valid.Value!, doctorId: null, cancellationToken);
        if (checkedInput.Failure is { } failure)
        {
            return failure;
        }

        var now = time.UtcNowMs();
        var doctor = new Doctor
        {
            AccountId = accountId,
            Name = valid.Value!.Name,
            Crm = valid.Value.Crm,
            Email = valid.Value.Email,
            Phone = valid.Value.Phone,
            IsBusy = valid.Value.IsBusy,
            CreatedAt = now,
            UpdatedAt = now,
            DoctorProcedures = [.. checkedInput.Value!.Select(p => new DoctorProcedure { AccountId = accountId, Procedure = p })],
        };
        db.Doctors.Add(doctor);

        if (await CommitAsync(db, doctor, created: true, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        logger.LogDebug("Doctor {DoctorId} created for account {AccountId}", doctor.Id, accountId);
        return DoctorDto.From(doctor);
    }

    /// <summary>Replaces every field of a doctor and its procedures (PUT).</summary>
    public Task<Result<DoctorDto>> ReplaceAsync(int accountId, int id, DoctorInput input, CancellationToken cancellationToken = default) =>
        UpdateAsync(accountId, id, _ => input, cancellationToken);

    /// <summary>Changes the fields of <paramref name="changes"/> that are not <c>null</c> (PATCH).</summary>
    public Task<Result<DoctorDto>> PatchAsync(int accountId, int id, DoctorInput changes, CancellationToken cancellationToken = default) =>
        UpdateAsync(
            accountId,
            id,
            current => new DoctorInput(
                changes.Name ?? current.Name,
                changes.Crm ?? current.Crm,
                changes.Email ?? current.Email,
                changes.Phone ?? current.Phone,
                changes.IsBusy ?? current.IsBusy,
                changes.ProcedureIds ?? [.. current.DoctorProcedures.Select(dp => dp.ProcedureId)]),
            cancellationToken);

    public async Task<Result<Done>> DeleteAsync(int accountId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var doctor = await db.Doctors.Include(d => d.DoctorProcedures).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (doctor is null)
        {
            return NotFound(id);
        }

        db.Doctors.Remove(doctor);
        await committer.CommitAsync(db, () => new DoctorDeleted(id, accountId), cancellationToken);
        logger.LogDebug("Doctor {DoctorId} deleted for account {AccountId}", id, accountId);
        return new Done();
    }

    private async Task<Result<DoctorDto>> UpdateAsync(int accountId, int id, Func<Doctor, DoctorInput> inputFor, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForAccount(accountId);
        await OpenForChecksAndCommitAsync(db, cancellationToken);
        var doctor = await db.Doctors
            .Include(d => d.DoctorProcedures).ThenInclude(dp => dp.Procedure)
            .FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (doctor is null)
        {
            return NotFound(id);
        }

        var valid = DoctorValidator.Validate(inputFor(doctor));
        if (valid.Failure is { } invalid)
        {
            return invalid;
        }

        var checkedInput = await CheckAgainstAccountAsync(db, valid.Value!, doctor.Id, cancellationToken);
        if (checkedInput.Failure is { } failure)
        {
            return failure;
        }

        var wanted = checkedInput.Value!;
        (doctor.Name, doctor.Crm, doctor.Email, doctor.Phone, doctor.IsBusy) =
            (valid.Value!.Name, valid.Value.Crm, valid.Value.Email, valid.Value.Phone, valid.Value.IsBusy);
        doctor.DoctorProcedures.RemoveAll(dp => !wanted.Any(p => p.Id == dp.ProcedureId));
        foreach (var procedure in wanted.Where(p => !doctor.DoctorProcedures.Any(dp => dp.ProcedureId == p.Id)))
        {
            doctor.DoctorProcedures.Add(new DoctorProcedure { AccountId = accountId, Procedure = procedure });
        }

        if (!db.ChangeTracker.HasChanges())
        {
            return DoctorDto.From(doctor);
        }

        doctor.UpdatedAt = time.UtcNowMs();
        if (await CommitAsync(db, doctor, created: false, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        logger.LogDebug("Doctor {DoctorId} updated for account {AccountId}", doctor.Id, accountId);
        return DoctorDto.From(doctor);
    }

    /// <summary>
    /// Keeps one connection open for the reads and the commit of a change (the product's busiest write), instead
    /// of opening it for each command: on SQLite every open runs EF Core's set-up of the connection (its SQL
    /// functions) again. The context closes it when it goes back to its pool.
    /// </summary>
    private static Task OpenForChecksAndCommitAsync(ClinicDbContext db, CancellationToken cancellationToken) =>
        db.Database.OpenConnectionAsync(cancellationToken);

    /// <summary>Checks what needs the database: the procedures exist in this account, and the CRM is free.</summary>
    private static async Task<Result<List<Procedure>>> CheckAgainstAccountAsync(
        ClinicDbContext db, ValidDoctor doctor, int? doctorId, CancellationToken cancellationToken)
    {
        var ids = doctor.ProcedureIds.ToList();
        var procedures = ids.Count == 0
            ? []
            : await db.Procedures.Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        var missing = ids.Where(id => !procedures.Any(p => p.Id == id)).ToList();
        if (missing.Count > 0)
        {
            return Failure.Invalid(new Dictionary<string, string[]>
            {
                ["procedureIds"] = [.. missing.Select(id => string.Format(Messages.ProcedureUnknown, id))],
            });
        }

        if (await db.Doctors.AnyAsync(d => d.Crm == doctor.Crm && d.Id != doctorId, cancellationToken))
        {
            return CrmTaken(doctor.Crm);
        }

        return procedures.OrderBy(p => ids.IndexOf(p.Id)).ToList();
    }

    /// <summary>Commits and announces the doctor; a CRM taken by a concurrent request comes back as a conflict.</summary>
    private async Task<Failure?> CommitAsync(ClinicDbContext db, Doctor doctor, bool created, CancellationToken cancellationToken)
    {
        try
        {
            await committer.CommitAsync(db, () => new DoctorSaved(DoctorDto.From(doctor), created), cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            await using var fresh = clinicDb.ForAccount(doctor.AccountId);
            if (await fresh.Doctors.AnyAsync(d => d.Crm == doctor.Crm && d.Id != doctor.Id, cancellationToken))
            {
                return CrmTaken(doctor.Crm);
            }

            throw;
        }
    }

    private static IQueryable<DoctorDto> Project(IQueryable<Doctor> doctors) =>
        doctors.Select(d => new DoctorDto(
            d.Id, d.Name, d.Crm, d.Email, d.Phone, d.IsBusy, d.AccountId, d.CreatedAt, d.UpdatedAt,
            d.DoctorProcedures.OrderBy(dp => dp.Id)
                .Select(dp => new DoctorProcedureDto(dp.Id, new ProcedureDto(dp.Procedure!.Id, dp.Procedure.Name, dp.Procedure.Price)))
                .ToList()));

    private static Failure CrmTaken(string crm) =>
        Failure.Conflict(string.Format(Messages.CrmTaken, crm), new Dictionary<string, string[]> { ["crm"] = [string.Format(Messages.CrmTaken, crm)] });

    private static Failure NotFound(int id) => Failure.NotFound(string.Format(Messages.DoctorNotFound, id));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
