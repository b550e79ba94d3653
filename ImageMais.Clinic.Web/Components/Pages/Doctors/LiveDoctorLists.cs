using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Components.Shared;

namespace ImageMais.Clinic.Web.Components.Pages.Doctors;

/// <summary>The doctors of each clinic with an open Doctors tab, one live list per clinic (<see cref="LiveAccountLists{TRow}"/>).</summary>
public sealed class LiveDoctorLists(DoctorService doctors, AccountEventFeed feed, AccountEventLog log, ILogger<LiveDoctorLists> logger)
    : LiveAccountLists<DoctorRow>(feed, log, logger)
{
    protected internal override async Task<DoctorRow[]> LoadAsync(int accountId) =>
        [.. (await doctors.ListAsync(accountId)).Select(d => new DoctorRow(d))];

    protected internal override (DoctorRow[] Rows, LiveListChange Change)? Apply(DoctorRow[] rows, AccountChange change)
    {
        switch (change)
        {
            case DoctorSaved { Doctor: var doctor }:
                var index = Array.FindIndex(rows, r => r.Doctor.Id == doctor.Id);
                DoctorRow[] upserted = index < 0 ? [.. rows, new DoctorRow(doctor)] : [.. rows[..index], new DoctorRow(doctor), .. rows[(index + 1)..]];
                return (upserted, new LiveListChange(doctor.Id));
            case DoctorDeleted { Id: var id }:
                return ([.. rows.Where(r => r.Doctor.Id != id)], new LiveListChange(null));
            case ProcedureSaved { Created: false, Procedure: var procedure }:
                DoctorRow[] renamed = [.. rows.Select(r => r.WithProcedure(procedure))];

                // When no doctor performs it, there is nothing for the tabs to draw.
                return renamed.SequenceEqual(rows) ? null : (renamed, new LiveListChange(null));
            default:
                return null;
        }
    }
}
