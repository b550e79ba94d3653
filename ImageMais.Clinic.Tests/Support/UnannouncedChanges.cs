using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// Changes committed with their event in the log but never published, as when the process that made them died
/// right after the commit, or another instance's message was lost: only the log can bring them.
/// </summary>
public static class UnannouncedChanges
{
    /// <summary>Creates a doctor of <paramref name="accountId"/> whose <c>doctors.created</c> is in the log only; returns it.</summary>
    public static async Task<DoctorDto> CreateDoctorAsync(ClinicDb clinicDb, int accountId, string name, string crm)
    {
        var committer = new AccountCommitter(new Unpublished(), TimeProvider.System, new RecordingLogger<AccountCommitter>());
        await using var db = clinicDb.ForAccount(accountId);
        var now = DateTime.UtcNow;
        var doctor = new Doctor { AccountId = accountId, Name = name, Crm = crm, Email = $"crm{crm}@example.com", Phone = "(81) 3333-4444", CreatedAt = now, UpdatedAt = now };
        db.Doctors.Add(doctor);
        await committer.CommitAsync(db, () => new DoctorSaved(DoctorDto.From(doctor), Created: true), CancellationToken.None);
        return DoctorDto.From(doctor);
    }

    private sealed class Unpublished : IAccountEventPublisher
    {
        public void Publish(AccountEvent committed)
        {
        }
    }
}
