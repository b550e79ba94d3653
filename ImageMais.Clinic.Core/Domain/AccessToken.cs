namespace ImageMais.Clinic.Domain;

/// <summary>
/// The record of an API access token. The token itself is a signed JWT handed out once; only its id
/// (the JWT's <c>jti</c>) and a short display hint are kept, never the token text.
/// </summary>
public sealed class AccessToken : IAccountOwned
{
    public const int LabelMaxLength = 100;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>Random identifier, also the token's <c>jti</c> claim.</summary>
    public required string Id { get; set; }

    public int AccountId { get; set; }

    public int IssuedByUserId { get; set; }

    public User? IssuedBy { get; set; }

    public required string Label { get; set; }

    /// <summary>The last characters of the token, shown as "…abcd1234" so a holder can recognise it.</summary>
    public required string Hint { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public AccessTokenStatus StatusAt(DateTime now) =>
        RevokedAt is not null ? AccessTokenStatus.Revoked
        : ExpiresAt <= now ? AccessTokenStatus.Expired
        : AccessTokenStatus.Active;
}

public enum AccessTokenStatus
{
    Active,
    Expired,
    Revoked,
}
