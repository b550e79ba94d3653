using System.Globalization;
using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageMais.Clinic.Tests.Support;

public static class AccessTokenMinting
{
    /// <summary>
    /// An access token made the way the app makes them (its issuer, audience and signing key, or <paramref name="key"/>),
    /// for the token record <paramref name="tokenId"/>, valid from <paramref name="issuedAt"/> to <paramref name="expires"/>:
    /// for the times and keys the app itself would never issue.
    /// </summary>
    public static string MintAccessToken(
        this IServiceProvider services, string tokenId, int accountId, int userId, DateTime issuedAt, DateTime expires, SecurityKey? key = null)
    {
        var options = services.GetRequiredService<IOptions<AccessTokenOptions>>().Value;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? services.GetRequiredService<AccessTokenSigningKey>().Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [AccessTokenClaims.TokenId] = tokenId,
                [AccessTokenClaims.UserId] = userId.ToString(CultureInfo.InvariantCulture),
                [AccessTokenClaims.AccountId] = accountId,
            },
        });
    }
}
