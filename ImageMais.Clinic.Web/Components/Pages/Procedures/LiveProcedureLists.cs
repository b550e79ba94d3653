using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Components.Shared;

namespace ImageMais.Clinic.Web.Components.Pages.Procedures;

/// <summary>The procedures of each clinic with an open Procedures tab, one live list per clinic (<see cref="LiveAccountLists{TRow}"/>).</summary>
public sealed class LiveProcedureLists(ProcedureService procedures, AccountEventFeed feed, AccountEventLog log, ILogger<LiveProcedureLists> logger)
    : LiveAccountLists<ProcedureDto>(feed, log, logger)
{
    protected internal override async Task<ProcedureDto[]> LoadAsync(int accountId) => [.. await procedures.ListAsync(accountId)];

    protected internal override (ProcedureDto[] Rows, LiveListChange Change)? Apply(ProcedureDto[] rows, AccountChange change)
    {
        switch (change)
        {
            case ProcedureSaved { Procedure: var procedure }:
                var index = Array.FindIndex(rows, p => p.Id == procedure.Id);
                ProcedureDto[] upserted = index < 0 ? [.. rows, procedure] : [.. rows[..index], procedure, .. rows[(index + 1)..]];
                return (upserted, new LiveListChange(procedure.Id));
            case ProcedureDeleted { Id: var id }:
                return ([.. rows.Where(p => p.Id != id)], new LiveListChange(null));
            default:
                return null;
        }
    }
}
