namespace ImageMais.Clinic.Features.AccessTokens;

/// <summary>Settings of the API access tokens (section <c>AccessTokens</c>).</summary>
public sealed class AccessTokenOptions
{
    public const string SectionName = "AccessTokens";

    /// <summary>
    /// Base64 HMAC-SHA256 key of at least 32 bytes. When empty, a key is generated on first run and kept in the
    /// database, so every instance sharing the database signs and checks with the same one.
    /// </summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "imagemais-clinic";

    public string Audience { get; set; } = "imagemais-clinic-api";

    /// <summary>Longest lifetime a token may be issued with (one hour).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Shortest lifetime a token may be issued with: one minute. Only tests lower it (to see a live hub
    /// connection closed at its token's expiry within seconds); the CLI and UI still offer whole minutes.
    /// </summary>
    public TimeSpan MinLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a "this token is still active" answer may be reused before asking the database again.</summary>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often, at most, a token's last-used time is written.</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);
}
