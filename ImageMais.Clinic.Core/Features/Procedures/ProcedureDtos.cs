using System.Text.Json.Serialization;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Json;

namespace ImageMais.Clinic.Features.Procedures;

/// <summary>A procedure as the API and the hub show it: <c>{ id, name, price }</c>, price as a string.</summary>
public sealed record ProcedureDto(int Id, string Name, [property: JsonConverter(typeof(PriceJsonConverter))] decimal Price)
{
    public static ProcedureDto From(Procedure procedure) => new(procedure.Id, procedure.Name, procedure.Price);
}

/// <summary>
/// A procedure as sent to create (every field) or change it (any subset: a <c>null</c> field is left as it is).
/// </summary>
public sealed record ProcedureInput(string? Name = null, [property: JsonConverter(typeof(PriceJsonConverter))] decimal? Price = null);
