using System.Text.Json.Serialization;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Features.Procedures;

namespace ImageMais.Clinic.Features.Doctors;

/// <summary>A doctor as the API and the hub show it, key for key the original system's <c>DoctorResponserDto</c>.</summary>
public sealed record DoctorDto(
    int Id,
    string Name,
    string Crm,
    string Email,
    string Phone,
    bool IsBusy,
    int AccountId,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime CreatedAt,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime UpdatedAt,
    IReadOnlyList<DoctorProcedureDto> DoctorProcedures)
{
    /// <summary>From a doctor whose links have their procedures loaded.</summary>
    public static DoctorDto From(Doctor doctor) => new(
        doctor.Id, doctor.Name, doctor.Crm, doctor.Email, doctor.Phone, doctor.IsBusy, doctor.AccountId,
        doctor.CreatedAt, doctor.UpdatedAt,
        [.. doctor.DoctorProcedures.OrderBy(dp => dp.Id).Select(dp => new DoctorProcedureDto(dp.Id, ProcedureDto.From(dp.Procedure!)))]);

    /// <summary>Value equality over the whole doctor, procedures included (records compare lists by reference).</summary>
    public bool Equals(DoctorDto? other) =>
        other is not null
        && (Id, Name, Crm, Email, Phone, IsBusy, AccountId, CreatedAt, UpdatedAt) ==
           (other.Id, other.Name, other.Crm, other.Email, other.Phone, other.IsBusy, other.AccountId, other.CreatedAt, other.UpdatedAt)
        && DoctorProcedures.SequenceEqual(other.DoctorProcedures);

    public override int GetHashCode() => HashCode.Combine(Id, UpdatedAt);
}

/// <summary>One procedure a doctor performs: the link's id and the procedure.</summary>
public sealed record DoctorProcedureDto(int Id, ProcedureDto Procedure);

/// <summary>
/// A doctor as sent to create or replace it (every field but <c>isBusy</c>), or to change it (any subset:
/// a <c>null</c> field is left as it is).
/// </summary>
public sealed record DoctorInput(
    string? Name = null,
    string? Crm = null,
    string? Email = null,
    string? Phone = null,
    bool? IsBusy = null,
    IReadOnlyList<int>? ProcedureIds = null);
