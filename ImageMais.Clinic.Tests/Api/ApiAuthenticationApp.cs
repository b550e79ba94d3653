using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// <see cref="ApiAccountApp"/> plus every kind of credential that must not open the API, each built from the
/// account's real token or the app's real signing key so that only the one defect differs.
/// </summary>
public sealed class ApiAuthenticationApp : ApiAccountApp
{
    public static readonly string[] CredentialKinds =
    [
        "absent", "empty bearer", "garbage", "basic scheme", "tampered signature", "tampered payload", "other account in payload",
        "unsigned", "signed with another key", "unknown record", "expired", "revoked",
    ];

    /// <summary>The <c>Authorization</c> header of each kind (null: none sent).</summary>
    public Dictionary<string, string?> Credentials { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var other = await CreateAccountAsync();
        var parts = Account.Token.Split('.');
        Credentials["absent"] = null;
        Credentials["empty bearer"] = "Bearer ";
        Credentials["garbage"] = "Bearer not-a-token";
        Credentials["basic scheme"] = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(Created.MasterEmail + ":" + Created.MasterPassword));
        Credentials["tampered signature"] = "Bearer " + string.Join('.', parts[0], parts[1], Flip(parts[2], parts[2].Length / 2));
        Credentials["tampered payload"] = "Bearer " + string.Join('.', parts[0], Flip(parts[1], parts[1].Length / 2), parts[2]);
        Credentials["other account in payload"] = "Bearer " + string.Join('.', parts[0], WithAccount(parts[1], other.AccountId), parts[2]);
        Credentials["unsigned"] = "Bearer " + Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + parts[1] + ".";
        Credentials["signed with another key"] = "Bearer " + Mint(Account.TokenId, Created, DateTime.UtcNow.AddMinutes(30), new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
        Credentials["unknown record"] = "Bearer " + Mint("0123456789abcdef0123456789abcdef", Created, DateTime.UtcNow.AddMinutes(30));
        Credentials["expired"] = "Bearer " + Mint(Account.TokenId, Created, DateTime.UtcNow.AddSeconds(-1));

        var revoked = await IssueTokenAsync(Created.AccountId);
        var revocation = await GetService<AccessTokenService>().RevokeAsync(Created.AccountId, revoked.Id);
        if (!revocation.Succeeded)
        {
            throw new InvalidOperationException(revocation.Failure!.Message);
        }

        Credentials["revoked"] = "Bearer " + revoked.Token;
    }

    /// <summary>A token signed with the app's own key (or <paramref name="key"/>), for the record <paramref name="tokenId"/>.</summary>
    public string Mint(string tokenId, AccountCreated account, DateTime expires, SecurityKey? key = null) =>
        Services.MintAccessToken(tokenId, account.AccountId, account.MasterUserId, issuedAt: expires.AddMinutes(-30), expires, key);

    private static string Flip(string base64Url, int index)
    {
        var replacement = base64Url[index] == 'A' ? 'B' : 'A';
        return base64Url[..index] + replacement + base64Url[(index + 1)..];
    }

    private static string WithAccount(string payload, int accountId)
    {
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(payload))!.AsObject();
        claims[AccessTokenClaims.AccountId] = accountId;
        return Base64UrlEncoder.Encode(claims.ToJsonString());
    }

}
