namespace ImageMais.Clinic.Domain;

/// <summary>The link between a doctor and a procedure they perform; both of the same account.</summary>
public sealed class DoctorProcedure : IAccountOwned
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int DoctorId { get; set; }

    public Doctor? Doctor { get; set; }

    public int ProcedureId { get; set; }

    public Procedure? Procedure { get; set; }
}
