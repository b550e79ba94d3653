using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// The embedded provider's keys: an RSA key that signs identity tokens and an AES key that encrypts what only the
/// provider reads (authorization codes, access tokens). Generated once, kept in the database's ServerKeys table so
/// every instance shares them, and loaded before the app serves requests. RSA generation takes a second or more,
/// so it must not happen per start.
/// </summary>
public sealed class EmbeddedProviderKeys(
    ClinicDb clinicDb, IOptions<StaffSignInOptions> options, TimeProvider time, ILogger<EmbeddedProviderKeys> logger)
{
    internal const string SigningKeyName = "oidc/signing-key";
    internal const string EncryptionKeyName = "oidc/encryption-key";

    private RsaSecurityKey? _signingKey;
    private SymmetricSecurityKey? _encryptionKey;

    private RsaSecurityKey? _publicSigningKey;

    public RsaSecurityKey SigningKey => _signingKey ?? throw NotLoaded();

    /// <summary>The signing key's public half, which the app's own client checks identity tokens with.</summary>
    public RsaSecurityKey PublicSigningKey => _publicSigningKey ?? throw NotLoaded();

    public SymmetricSecurityKey EncryptionKey => _encryptionKey ?? throw NotLoaded();

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_signingKey is not null)
        {
            return;
        }

        var configured = options.Value.Server.SigningKey;
        var pkcs8 = string.IsNullOrWhiteSpace(configured)
            ? await LoadOrCreateAsync(SigningKeyName, () => { using var rsa = RSA.Create(2048); return rsa.ExportPkcs8PrivateKey(); }, cancellationToken)
            : Convert.FromBase64String(configured);
        var signing = RSA.Create();
        signing.ImportPkcs8PrivateKey(pkcs8, out _);
        var encryption = await LoadOrCreateAsync(EncryptionKeyName, () => RandomNumberGenerator.GetBytes(32), cancellationToken);

        var keyId = KeyId(signing.ExportSubjectPublicKeyInfo());
        _publicSigningKey = new RsaSecurityKey(signing.ExportParameters(includePrivateParameters: false)) { KeyId = keyId };
        _signingKey = new RsaSecurityKey(signing) { KeyId = keyId };
        _encryptionKey = new SymmetricSecurityKey(encryption) { KeyId = KeyId(encryption) };
    }

    private async Task<byte[]> LoadOrCreateAsync(string name, Func<byte[]> create, CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        var stored = await db.ServerKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == name, cancellationToken);
        if (stored is not null)
        {
            return Convert.FromBase64String(stored.Value);
        }

        var bytes = create();
        db.ServerKeys.Add(new ServerKey { Name = name, Value = Convert.ToBase64String(bytes), CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Generated the sign-in key {KeyName} and stored it in the database", name);
            return bytes;
        }
        catch (DbUpdateException)
        {
            // Another instance stored one first: use theirs, so all instances agree.
            await using var fresh = clinicDb.ForSystem();
            var winner = await fresh.ServerKeys.AsNoTracking().FirstAsync(k => k.Name == name, cancellationToken);
            return Convert.FromBase64String(winner.Value);
        }
    }

    private static string KeyId(byte[] material) => Convert.ToHexStringLower(SHA256.HashData(material))[..16];

    private static InvalidOperationException NotLoaded() =>
        new("The sign-in keys are not loaded yet; PrepareStaffSignInAsync loads them at start.");
}
