namespace ImageMais.Clinic.Domain;

/// <summary>A clinic's licence: the tenant every doctor, procedure, user and token belongs to.</summary>
public sealed class Account
{
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The number of the account's latest event (0 before the first): each change takes the next one in its own
    /// transaction, so an account's events are numbered without gaps in commit order (<see cref="LoggedEvent"/>).
    /// </summary>
    public long LastEventSeq { get; set; }
}
