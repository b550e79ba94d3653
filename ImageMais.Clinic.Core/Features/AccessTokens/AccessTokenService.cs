using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageMais.Clinic.Features.AccessTokens;

/// <summary>
/// API access tokens: signed JWTs (HMAC-SHA256) carrying their account, issuer and record id, valid at most one
/// hour. The signature proves a token was issued here; the record says whether it is still active, so a
/// revocation takes effect at once on this instance and within <see cref="AccessTokenOptions.StatusCacheDuration"/> on others.
/// </summary>
public sealed class AccessTokenService(
    ClinicDb clinicDb,
    AccessTokenSigningKey signingKey,
    IOptions<AccessTokenOptions> options,
    IMemoryCache cache,
    TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, DateTime> _lastUseWritten = new(StringComparer.Ordinal);

    /// <summary>
    /// Issues a token for <paramref name="accountId"/>, recorded as issued by <paramref name="issuedByUserId"/>
    /// (by default the account's first active master user).
    /// </summary>
    public async Task<Result<IssuedAccessToken>> IssueAsync(
        int accountId, int? issuedByUserId = null, string? label = null, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        var tokenLabel = string.IsNullOrWhiteSpace(label) ? "API" : label.Trim();
        if (tokenLabel.Length > AccessToken.LabelMaxLength)
        {
            errors.Add("label", string.Format(Messages.LabelTooLong, AccessToken.LabelMaxLength));
        }

        var validFor = lifetime ?? options.Value.MaxLifetime;
        if (validFor < options.Value.MinLifetime || validFor > options.Value.MaxLifetime)
        {
            errors.Add("lifetimeMinutes", Messages.LifetimeInvalid);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var db = clinicDb.ForAccount(accountId);
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            return Failure.NotFound(string.Format(Messages.AccountNotFound, accountId));
        }

        var issuer = await db.Users
            .Where(u => u.IsActive && (issuedByUserId == null ? u.Role == UserRole.Master : u.Id == issuedByUserId))
            .OrderBy(u => u.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (issuer is null)
        {
            return Failure.NotFound(string.Format(Messages.AccountHasNoMaster, accountId));
        }

        var now = time.UtcNowMs();
        var record = new AccessToken
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            AccountId = accountId,
            IssuedByUserId = issuer.Id,
            Label = tokenLabel,
            Hint = "",
            IssuedAt = now,
            ExpiresAt = now + validFor,
        };
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = record.IssuedAt,
            NotBefore = record.IssuedAt,
            Expires = record.ExpiresAt,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [AccessTokenClaims.TokenId] = record.Id,
                [AccessTokenClaims.UserId] = issuer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [AccessTokenClaims.AccountId] = accountId,
            },
        });
        record.Hint = token[^8..];
        db.AccessTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);

        return new IssuedAccessToken(record.Id, token, record.ExpiresAt, record.Label);
    }

    /// <summary>The account's tokens, newest first, with their status now.</summary>
    public async Task<IReadOnlyList<AccessTokenSummary>> ListAsync(int accountId, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        var rows = await db.AccessTokens.AsNoTracking()
            .OrderByDescending(t => t.IssuedAt)
            .Select(t => new { Token = t, IssuedBy = t.IssuedBy!.Name })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return [.. rows.Select(r => new AccessTokenSummary(
            r.Token.Id, r.Token.Label, "…" + r.Token.Hint, r.IssuedBy, r.Token.IssuedAt, r.Token.ExpiresAt,
            r.Token.LastUsedAt, r.Token.RevokedAt, r.Token.StatusAt(now)))];
    }

    /// <summary>Revokes one of <paramref name="accountId"/>'s tokens.</summary>
    public async Task<Result<Done>> RevokeAsync(int accountId, string id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForAccount(accountId);
        return await RevokeAsync(db, db.AccessTokens, id, cancellationToken);
    }

    /// <summary>Revokes a token of any account, by id (the ops command line).</summary>
    public async Task<Result<Done>> RevokeAnyAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForSystem();
        return await RevokeAsync(db, db.AccessTokens.IgnoreQueryFilters(), id, cancellationToken);
    }

    /// <summary>How incoming tokens are checked: signature, issuer, audience and lifetime (no clock skew).</summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = options.Value.Issuer,
        ValidAudience = options.Value.Audience,
        IssuerSigningKeyResolver = (_, _, _, _) => [signingKey.Key],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.Zero,
        RequireExpirationTime = true,
        NameClaimType = AccessTokenClaims.UserId,
    };

    /// <summary>
    /// Who a token whose signature and lifetime already passed speaks for, if its record is still active; also
    /// notes its use (written at most once per <see cref="AccessTokenOptions.LastUsedResolution"/>).
    /// </summary>
    public async Task<AccessTokenIdentity?> CheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var tokenId = principal.FindFirstValue(AccessTokenClaims.TokenId);
        if (tokenId is null || !int.TryParse(principal.FindFirstValue(AccessTokenClaims.AccountId), out var accountId))
        {
            return null;
        }

        var record = await cache.GetOrCreateAsync(CacheKey(tokenId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.StatusCacheDuration;
            await using var db = clinicDb.ForSystem();
            return await db.AccessTokens.IgnoreQueryFilters().AsNoTracking()
                .Where(t => t.Id == tokenId)
                .Select(t => new AccessTokenIdentity(t.Id, t.AccountId, t.IssuedByUserId, t.RevokedAt == null ? t.ExpiresAt : DateTime.MinValue))
                .FirstOrDefaultAsync(cancellationToken);
        });

        var now = time.GetUtcNow().UtcDateTime;
        if (record is null || record.AccountId != accountId || record.ExpiresAt <= now)
        {
            return null;
        }

        await RecordUseAsync(tokenId, now, cancellationToken);
        return record;
    }

    /// <summary>Whether the token is still active, asking the database (no cache): for live connections.</summary>
    public async Task<bool> IsActiveAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForSystem();
        return await Active(db).AnyAsync(t => t.Id == tokenId, cancellationToken);
    }

    /// <summary>
    /// Which of <paramref name="tokenIds"/> are still active, in one query (no cache): for sweeping the live
    /// hub connections, whose tokens may have been revoked on any instance.
    /// </summary>
    public async Task<IReadOnlySet<string>> ActiveAmongAsync(IReadOnlyCollection<string> tokenIds, CancellationToken cancellationToken = default)
    {
        if (tokenIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await using var db = clinicDb.ForSystem();
        var active = await Active(db)
            .Where(t => tokenIds.Contains(t.Id))
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
        return active.ToHashSet(StringComparer.Ordinal);
    }

    // Asked of the database each time, not the cache: live connections must end soon after a revoke on any instance.
    private IQueryable<AccessToken> Active(ClinicDbContext db)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.AccessTokens.IgnoreQueryFilters().Where(t => t.RevokedAt == null && t.ExpiresAt > now);
    }

    private async Task<Result<Done>> RevokeAsync(ClinicDbContext db, IQueryable<AccessToken> tokens, string id, CancellationToken cancellationToken)
    {
        var record = await tokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (record is null)
        {
            return Failure.NotFound(string.Format(Messages.AccessTokenNotFound, id));
        }

        if (record.RevokedAt is not null)
        {
            return Failure.Conflict(string.Format(Messages.AccessTokenAlreadyRevoked, id));
        }

        record.RevokedAt = time.UtcNowMs();
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey(id));
        return new Done();
    }

    private async Task RecordUseAsync(string tokenId, DateTime now, CancellationToken cancellationToken)
    {
        var resolution = options.Value.LastUsedResolution;
        if (_lastUseWritten.TryGetValue(tokenId, out var written) && now - written < resolution)
        {
            return;
        }

        _lastUseWritten[tokenId] = now;
        await using var db = clinicDb.ForSystem();
        await db.AccessTokens.IgnoreQueryFilters()
            .Where(t => t.Id == tokenId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);

        // Forget tokens that can no longer be used, so the map stays as small as the set of live tokens.
        if (_lastUseWritten.Count > 1024)
        {
            foreach (var stale in _lastUseWritten.Where(e => now - e.Value > options.Value.MaxLifetime + resolution))
            {
                _lastUseWritten.TryRemove(stale);
            }
        }
    }

    private static string CacheKey(string tokenId) => "access-token:" + tokenId;
}
