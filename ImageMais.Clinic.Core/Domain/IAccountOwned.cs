namespace ImageMais.Clinic.Domain;

/// <summary>
/// An entity that belongs to exactly one account (clinic). The data layer filters every query and
/// checks every write against the account the <c>ClinicDbContext</c> was opened for.
/// </summary>
public interface IAccountOwned
{
    int AccountId { get; set; }
}
