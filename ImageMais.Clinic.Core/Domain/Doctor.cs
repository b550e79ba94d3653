namespace ImageMais.Clinic.Domain;

/// <summary>A doctor of a clinic and the procedures they perform.</summary>
public sealed class Doctor : IAccountOwned
{
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 254;
    public const int CrmMaxLength = 11;
    public const int PhoneMaxLength = 16;

    public int Id { get; set; }

    public int AccountId { get; set; }

    public required string Name { get; set; }

    /// <summary>Normalized CRM: the digits as sent, optionally "/UF" in upper case (e.g. "123456/PE").</summary>
    public required string Crm { get; set; }

    public required string Email { get; set; }

    /// <summary>Formatted phone: "(81) 3333-4444" or "(81) 99999-9999".</summary>
    public required string Phone { get; set; }

    public bool IsBusy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<DoctorProcedure> DoctorProcedures { get; set; } = [];
}
