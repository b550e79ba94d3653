namespace ImageMais.Clinic.Web.Auth;

/// <summary>Settings of staff sign-in (section <c>Authentication</c>).</summary>
public sealed class StaffSignInOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The external OpenID provider; when its <c>Authority</c> is empty the embedded provider serves.</summary>
    public ExternalProviderOptions Oidc { get; set; } = new();

    /// <summary>The embedded OpenID provider.</summary>
    public EmbeddedProviderOptions Server { get; set; } = new();

    public bool UsesExternalProvider => !string.IsNullOrWhiteSpace(Oidc.Authority);
}

/// <summary>An external OpenID Connect provider (Entra ID, Keycloak, Google…) whose users are matched to clinic users by e-mail.</summary>
public sealed class ExternalProviderOptions
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim holding the user's e-mail, matched against the clinic's users.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>
    /// Match a person to a clinic user only when the provider says it verified their e-mail (claim
    /// <c>email_verified</c> true); otherwise anyone who can put that address on an account at the provider would
    /// sign in as that user. Turn off only for a provider that issues verified addresses alone and omits the claim
    /// (e.g. a single company's directory).
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    /// <summary>The claim holding the user's display name.</summary>
    public string NameClaim { get; set; } = "name";

    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Also ask the provider's userinfo endpoint for claims (some providers leave the e-mail out of the ID token).</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; } = true;

    /// <summary>Refuse a provider whose metadata is not served over HTTPS. Only a local test provider turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

public sealed class EmbeddedProviderOptions
{
    /// <summary>
    /// Base64 of a PKCS#8 RSA private key that signs identity tokens. Empty: a key is generated on first run and kept in
    /// the database (table ServerKeys), shared by every instance.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Accept plain-HTTP requests to the provider's endpoints from any host. Off: only HTTPS, or HTTP from the machine
    /// itself to a loopback address (development and tests).
    /// </summary>
    public bool AllowHttp { get; set; }
}
