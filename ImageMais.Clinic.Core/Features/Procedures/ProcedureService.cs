using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Realtime;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Features.Procedures;

/// <summary>An account's procedures: list, create, change, delete (refused while a doctor links it).</summary>
public sealed class ProcedureService(ClinicDb clinicDb, AccountCommitter committer)
{
    public async Task<IReadOnlyList<ProcedureDto>> ListAsync(int accountId, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        return await db.Procedures.AsNoTracking()
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new ProcedureDto(p.Id, p.Name, p.Price))
            .ToListAsync(cancellationToken);
    }

    public async Task<Result<ProcedureDto>> GetAsync(int accountId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var procedure = await db.Procedures.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return procedure is null ? Failure.NotFound(string.Format(Messages.ProcedureNotFound, id)) : ProcedureDto.From(procedure);
    }

    public async Task<Result<ProcedureDto>> CreateAsync(int accountId, ProcedureInput input, CancellationToken cancellationToken = default)
    {
        var valid = ProcedureValidator.Validate(input.Name, input.Price);
        if (valid.Failure is { } failure)
        {
            return failure;
        }

        await using var db = clinicDb.ForAccount(accountId);
        var procedure = new Procedure { AccountId = accountId, Name = valid.Value.Name, Price = valid.Value.Price };
        db.Procedures.Add(procedure);
        await committer.CommitAsync(db, () => new ProcedureSaved(ProcedureDto.From(procedure), Created: true), cancellationToken);
        return ProcedureDto.From(procedure);
    }

    /// <summary>Replaces a procedure (PUT): both fields are required, as when creating one.</summary>
    public Task<Result<ProcedureDto>> ReplaceAsync(int accountId, int id, ProcedureInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(accountId, id, _ => input, cancellationToken);

    /// <summary>Changes a procedure: every field of <paramref name="input"/> that is not <c>null</c> replaces the stored one.</summary>
    public Task<Result<ProcedureDto>> UpdateAsync(int accountId, int id, ProcedureInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(accountId, id, current => new ProcedureInput(input.Name ?? current.Name, input.Price ?? current.Price), cancellationToken);

    private async Task<Result<ProcedureDto>> ChangeAsync(int accountId, int id, Func<Procedure, ProcedureInput> inputFor, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var procedure = await db.Procedures.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (procedure is null)
        {
            return Failure.NotFound(string.Format(Messages.ProcedureNotFound, id));
        }

        var input = inputFor(procedure);
        var valid = ProcedureValidator.Validate(input.Name, input.Price);
        if (valid.Failure is { } failure)
        {
            return failure;
        }

        (procedure.Name, procedure.Price) = valid.Value;
        var dto = ProcedureDto.From(procedure);
        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing changed: nothing to write and nothing to announce.
            return dto;
        }

        await committer.CommitAsync(db, () => new ProcedureSaved(dto, Created: false), cancellationToken);
        return dto;
    }

    /// <summary>Deletes a procedure no doctor links; otherwise a conflict naming the doctors that do.</summary>
    public async Task<Result<Done>> DeleteAsync(int accountId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var procedure = await db.Procedures.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (procedure is null)
        {
            return Failure.NotFound(string.Format(Messages.ProcedureNotFound, id));
        }

        if (await InUseFailureAsync(db, procedure, cancellationToken) is { } inUse)
        {
            return inUse;
        }

        db.Procedures.Remove(procedure);
        try
        {
            await committer.CommitAsync(db, () => new ProcedureDeleted(id, accountId), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A doctor may have linked it between the check and the delete, and the foreign key refused it.
            await using var fresh = clinicDb.ForAccount(accountId);
            if (await InUseFailureAsync(fresh, procedure, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }

        return new Done();
    }

    private static async Task<Failure?> InUseFailureAsync(ClinicDbContext db, Procedure procedure, CancellationToken cancellationToken)
    {
        var linkedDoctors = await db.DoctorProcedures
            .Where(dp => dp.ProcedureId == procedure.Id)
            .OrderBy(dp => dp.Doctor!.Name)
            .Select(dp => dp.Doctor!.Name)
            .ToListAsync(cancellationToken);
        return linkedDoctors.Count == 0
            ? null
            : Failure.Conflict(
                string.Format(Messages.ProcedureInUse, procedure.Name, linkedDoctors.Count, string.Join(", ", linkedDoctors)),
                new Dictionary<string, string[]> { ["doctors"] = [.. linkedDoctors] });
    }
}
