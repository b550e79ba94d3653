namespace ImageMais.Clinic.Domain;

public enum UserRole
{
    Staff = 0,
    Master = 1,
}

/// <summary>A person of a clinic who signs in to the browser app.</summary>
public sealed class User : IAccountOwned
{
    public const int EmailMaxLength = 256;
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    public int AccountId { get; set; }

    public Account? Account { get; set; }

    public required string Email { get; set; }

    /// <summary>Upper-cased invariant e-mail, unique across all accounts: one person signs in to one clinic.</summary>
    public required string NormalizedEmail { get; set; }

    public required string Name { get; set; }

    public UserRole Role { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>Changes whenever credentials change, so sessions issued before can be refused.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public bool IsActive { get; set; } = true;

    public int AccessFailedCount { get; set; }

    public DateTime? LockoutEnd { get; set; }

    public DateTime CreatedAt { get; set; }

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
