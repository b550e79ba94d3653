using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ImageMais.Clinic.Features.AccessTokens;

/// <summary>
/// The key access tokens are signed and checked with: <c>AccessTokens:SigningKey</c> when configured, otherwise
/// one generated on first run and kept in the database. Loaded once, before the app serves requests.
/// </summary>
public sealed class AccessTokenSigningKey(ClinicDb clinicDb, IOptions<AccessTokenOptions> options, TimeProvider time, ILogger<AccessTokenSigningKey> logger)
{
    internal const string ServerKeyName = "access-tokens/signing-key";
    private const int MinKeyBytes = 32;

    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("The access-token signing key is not loaded yet; call LoadAsync at start.");

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_key is not null)
        {
            return;
        }

        var configured = options.Value.SigningKey;
        var bytes = string.IsNullOrWhiteSpace(configured)
            ? await LoadOrCreateStoredAsync(cancellationToken)
            : Convert.FromBase64String(configured);
        if (bytes.Length < MinKeyBytes)
        {
            throw new InvalidOperationException($"AccessTokens:SigningKey must be base64 of at least {MinKeyBytes} bytes.");
        }

        _key = new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] };
    }

    private async Task<byte[]> LoadOrCreateStoredAsync(CancellationToken cancellationToken)
    {
        await using var db = clinicDb.ForSystem();
        var stored = await db.ServerKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == ServerKeyName, cancellationToken);
        if (stored is not null)
        {
            return Convert.FromBase64String(stored.Value);
        }

        var bytes = RandomNumberGenerator.GetBytes(MinKeyBytes);
        db.ServerKeys.Add(new ServerKey { Name = ServerKeyName, Value = Convert.ToBase64String(bytes), CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Generated the access-token signing key and stored it in the database");
            return bytes;
        }
        catch (DbUpdateException)
        {
            // Another instance stored one first: use theirs.
            await using var fresh = clinicDb.ForSystem();
            var winner = await fresh.ServerKeys.AsNoTracking().FirstAsync(k => k.Name == ServerKeyName, cancellationToken);
            return Convert.FromBase64String(winner.Value);
        }
    }
}
