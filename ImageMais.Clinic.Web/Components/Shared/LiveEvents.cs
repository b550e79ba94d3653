using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// Reads the payload of an account event as the page needs it: the DTO the REST API answered (an event heard from
/// another instance is read back into the same DTO before it is published here).
/// </summary>
public static class LiveEvents
{
    public static T? PayloadAs<T>(this AccountEvent accountEvent)
        where T : class => accountEvent.Payload as T;

    public static DoctorDto? Doctor(this AccountEvent accountEvent) => accountEvent.PayloadAs<DoctorDto>();

    public static ProcedureDto? Procedure(this AccountEvent accountEvent) => accountEvent.PayloadAs<ProcedureDto>();

    public static int? DeletedId(this AccountEvent accountEvent) => accountEvent.PayloadAs<DeletedPayload>()?.Id;
}
