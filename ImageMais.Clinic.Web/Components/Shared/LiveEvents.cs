using System.Text.Json;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// Reads the payload of an account event as the page needs it. In process the payload is the DTO itself; an
/// event that crossed instances may arrive as the JSON the API would have written, which reads back the same.
/// </summary>
public static class LiveEvents
{
    public static T? PayloadAs<T>(this AccountEvent accountEvent)
        where T : class => accountEvent.Payload switch
        {
            T typed => typed,
            JsonElement json => json.Deserialize<T>(JsonSerializerOptions.Web),
            _ => null,
        };

    public static DoctorDto? Doctor(this AccountEvent accountEvent) => accountEvent.PayloadAs<DoctorDto>();

    public static ProcedureDto? Procedure(this AccountEvent accountEvent) => accountEvent.PayloadAs<ProcedureDto>();

    public static int? DeletedId(this AccountEvent accountEvent) => accountEvent.PayloadAs<DeletedPayload>()?.Id;
}
