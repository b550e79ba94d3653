using System.Text.Json;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// An account event as clients hear it: what changed (<see cref="Change"/>), numbered <see cref="Seq"/> in its
/// account's log, committed at <see cref="At"/>.
/// </summary>
/// <param name="AccountId">The account whose clients hear it; no other account's ever do.</param>
/// <param name="Seq">The account's event number: 1, 2, 3 … in commit order, without gaps.</param>
/// <param name="At">When the change committed (UTC).</param>
/// <param name="Change">What changed; its type names the event.</param>
public sealed record AccountEvent(int AccountId, long Seq, DateTime At, AccountChange Change)
{
    /// <summary>The public name of the event, e.g. <c>doctors.created</c>.</summary>
    public string Name => Change.Name;

    /// <summary>Whether this instance heard the event from another one (through Redis or the shared log).</summary>
    public bool FromAnotherInstance { get; init; }

    private ReadOnlyMemory<byte>? _data;

    /// <summary>The event's argument as the REST API answers it, in UTF-8 JSON: written once per event.</summary>
    public ReadOnlyMemory<byte> Data
    {
        get => _data ??= AccountEventJson.Write(Change);
        init => _data = value;
    }
}

/// <summary>
/// What an account event says changed. A closed set: its types are the events clients may hear (the original
/// system's whitelist), so nothing else can ever be published.
/// </summary>
public abstract record AccountChange
{
    private protected AccountChange()
    {
    }

    /// <summary>The public name of the event.</summary>
    public abstract string Name { get; }
}

/// <summary>A doctor was created or changed: <c>doctors.created</c> / <c>doctors.updated</c>, with the doctor.</summary>
public sealed record DoctorSaved(DoctorDto Doctor, bool Created) : AccountChange
{
    public override string Name => Created ? AccountEventNames.DoctorsCreated : AccountEventNames.DoctorsUpdated;
}

/// <summary>A doctor was deleted: <c>doctors.deleted</c>, with <c>{ id, accountId }</c>.</summary>
public sealed record DoctorDeleted(int Id, int AccountId) : AccountChange
{
    public override string Name => AccountEventNames.DoctorsDeleted;
}

/// <summary>A procedure was created or changed: <c>procedures.created</c> / <c>procedures.updated</c>, with the procedure.</summary>
public sealed record ProcedureSaved(ProcedureDto Procedure, bool Created) : AccountChange
{
    public override string Name => Created ? AccountEventNames.ProceduresCreated : AccountEventNames.ProceduresUpdated;
}

/// <summary>A procedure was deleted: <c>procedures.deleted</c>, with <c>{ id, accountId }</c>.</summary>
public sealed record ProcedureDeleted(int Id, int AccountId) : AccountChange
{
    public override string Name => AccountEventNames.ProceduresDeleted;
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

    /// <summary>Every event name, in the order of the list above.</summary>
    public static readonly IReadOnlyList<string> All =
        [DoctorsCreated, DoctorsUpdated, DoctorsDeleted, ProceduresCreated, ProceduresUpdated, ProceduresDeleted];
}

/// <summary>
/// An event's argument in JSON, both ways: written exactly as the REST API answers (camelCase, prices as strings,
/// times with Z), read back by event name into its <see cref="AccountChange"/>.
/// </summary>
public static class AccountEventJson
{
    /// <summary>The JSON settings of the API bodies, the hub payloads and the event log.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static byte[] Write(AccountChange change) => change switch
    {
        DoctorSaved saved => JsonSerializer.SerializeToUtf8Bytes(saved.Doctor, Options),
        ProcedureSaved saved => JsonSerializer.SerializeToUtf8Bytes(saved.Procedure, Options),
        DoctorDeleted deleted => JsonSerializer.SerializeToUtf8Bytes(new DeletedData(deleted.Id, deleted.AccountId), Options),
        ProcedureDeleted deleted => JsonSerializer.SerializeToUtf8Bytes(new DeletedData(deleted.Id, deleted.AccountId), Options),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Not an account change."),
    };

    /// <summary>
    /// The change an event named <paramref name="name"/> with argument <paramref name="data"/> announces, or
    /// <c>null</c> for a name that is not an account event.
    /// </summary>
    /// <exception cref="JsonException">The argument is not that event's JSON.</exception>
    public static AccountChange? Read(string name, ReadOnlySpan<byte> data) => name switch
    {
        AccountEventNames.DoctorsCreated or AccountEventNames.DoctorsUpdated =>
            new DoctorSaved(Deserialize<DoctorDto>(data), name == AccountEventNames.DoctorsCreated),
        AccountEventNames.ProceduresCreated or AccountEventNames.ProceduresUpdated =>
            new ProcedureSaved(Deserialize<ProcedureDto>(data), name == AccountEventNames.ProceduresCreated),
        AccountEventNames.DoctorsDeleted => Deserialize<DeletedData>(data) is var d ? new DoctorDeleted(d.Id, d.AccountId) : null,
        AccountEventNames.ProceduresDeleted => Deserialize<DeletedData>(data) is var p ? new ProcedureDeleted(p.Id, p.AccountId) : null,
        _ => null,
    };

    /// <summary>
    /// The account a change belongs to as its own data says, or <c>null</c> when its data does not name one (a
    /// procedure, in the API's shape).
    /// </summary>
    public static int? AccountOf(AccountChange change) => change switch
    {
        DoctorSaved saved => saved.Doctor.AccountId,
        DoctorDeleted deleted => deleted.AccountId,
        ProcedureDeleted deleted => deleted.AccountId,
        _ => null,
    };

    private static T Deserialize<T>(ReadOnlySpan<byte> data) =>
        JsonSerializer.Deserialize<T>(data, Options) ?? throw new JsonException($"The event's data is not a {typeof(T).Name}.");

    /// <summary>The argument of a <c>*.deleted</c> event.</summary>
    private sealed record DeletedData(int Id, int AccountId);
}
