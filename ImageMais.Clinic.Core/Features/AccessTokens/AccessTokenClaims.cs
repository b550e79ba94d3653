namespace ImageMais.Clinic.Features.AccessTokens;

/// <summary>Claim names inside an access token.</summary>
public static class AccessTokenClaims
{
    /// <summary>The account the token speaks for.</summary>
    public const string AccountId = "account_id";

    /// <summary>The user who issued it (standard <c>sub</c>).</summary>
    public const string UserId = "sub";

    /// <summary>The token's record id (standard <c>jti</c>).</summary>
    public const string TokenId = "jti";
}
