namespace ImageMais.Clinic.Domain;

/// <summary>A clinic's licence: the tenant every doctor, procedure, user and token belongs to.</summary>
public sealed class Account
{
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }
}
