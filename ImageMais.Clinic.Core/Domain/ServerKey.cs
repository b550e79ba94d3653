namespace ImageMais.Clinic.Domain;

/// <summary>
/// A secret the server generates once and keeps in the database (e.g. the access-token signing key), so
/// every app instance sharing the database uses the same one.
/// </summary>
public sealed class ServerKey
{
    public const int NameMaxLength = 100;

    public required string Name { get; set; }

    public required string Value { get; set; }

    public DateTime CreatedAt { get; set; }
}
