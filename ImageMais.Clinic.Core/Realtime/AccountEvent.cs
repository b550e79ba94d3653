namespace ImageMais.Clinic.Realtime;

/// <summary>Something that changed in one account, published after it was committed.</summary>
/// <param name="AccountId">The account whose clients hear it; no other account's ever do.</param>
/// <param name="Name">One of <see cref="AccountEventNames.Published"/>.</param>
/// <param name="Payload">Exactly what the REST API answered for the change (a Doctor, a Procedure, or the deleted id).</param>
public sealed record AccountEvent(int AccountId, string Name, object Payload)
{
    /// <summary>
    /// When the event was published (at its commit), on the instance where the change was made; events heard
    /// from another instance keep that instance's time, so delivery latency is measured end to end.
    /// </summary>
    public DateTimeOffset PublishedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Whether the change was made on another app instance and the event heard from there.</summary>
    public bool FromAnotherInstance { get; init; }
}

/// <summary>The events clients of an account hear, by their public names.</summary>
public static class AccountEventNames
{
    public const string DoctorsCreated = "doctors.created";
    public const string DoctorsUpdated = "doctors.updated";
    public const string DoctorsDeleted = "doctors.deleted";
    public const string ProceduresCreated = "procedures.created";
    public const string ProceduresUpdated = "procedures.updated";
    public const string ProceduresDeleted = "procedures.deleted";

    /// <summary>The whitelist: only these are ever sent to a client.</summary>
    public static readonly IReadOnlySet<string> Published = new HashSet<string>(StringComparer.Ordinal)
    {
        DoctorsCreated, DoctorsUpdated, DoctorsDeleted, ProceduresCreated, ProceduresUpdated, ProceduresDeleted,
    };
}

/// <summary>Payload of a <c>*.deleted</c> event.</summary>
public sealed record DeletedPayload(int Id, int AccountId);
