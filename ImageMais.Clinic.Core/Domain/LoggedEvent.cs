namespace ImageMais.Clinic.Domain;

/// <summary>
/// One account event as kept in the account's event log: written in the same transaction as the change it
/// announces, numbered <see cref="Seq"/> 1, 2, 3 … per account in commit order, and kept for
/// <c>Events:RetentionDays</c> so a client that was away can read what it missed.
/// </summary>
public sealed class LoggedEvent : IAccountOwned
{
    public const int NameMaxLength = 40;

    public int AccountId { get; set; }

    /// <summary>The account's event number: the account's <see cref="Account.LastEventSeq"/> once this event was added.</summary>
    public long Seq { get; set; }

    /// <summary>The public event name, e.g. <c>doctors.created</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The event's argument as JSON, exactly what the REST API answered for the change.</summary>
    public required string Data { get; set; }

    /// <summary>When the change committed (UTC, whole milliseconds).</summary>
    public DateTime At { get; set; }
}
