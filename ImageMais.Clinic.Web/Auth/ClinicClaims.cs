using System.Globalization;
using System.Security.Claims;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Users;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>The claims of a staff session (the browser app's cookie), whichever provider signed the person in.</summary>
public static class ClinicClaims
{
    public const string UserId = "clinic_user_id";
    public const string AccountId = "clinic_account_id";
    public const string AccountName = "clinic_account_name";
    public const string Name = "name";
    public const string Email = "email";
    public const string Role = "role";

    /// <summary>The user's security stamp when the session began; a password reset or disabling changes it and ends the session.</summary>
    public const string SecurityStamp = "clinic_security_stamp";

    public const string AuthenticationType = "ClinicStaff";

    public static ClaimsPrincipal CreatePrincipal(SignInUser user) =>
        new(new ClaimsIdentity(
            [
                new Claim(UserId, user.UserId.ToString(CultureInfo.InvariantCulture)),
                new Claim(AccountId, user.AccountId.ToString(CultureInfo.InvariantCulture)),
                new Claim(AccountName, user.AccountName),
                new Claim(Name, user.Name),
                new Claim(Email, user.Email),
                new Claim(Role, user.Role.ToString()),
                new Claim(SecurityStamp, user.SecurityStamp),
            ],
            AuthenticationType,
            Name,
            Role));

    /// <summary>The signed-in staff member, or <c>null</c> for anyone else (anonymous, an API token).</summary>
    public static ClinicUser? ToClinicUser(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !int.TryParse(principal.FindFirstValue(UserId), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !int.TryParse(principal.FindFirstValue(AccountId), NumberStyles.None, CultureInfo.InvariantCulture, out var accountId)
            || !Enum.TryParse<UserRole>(principal.FindFirstValue(Role), out var role))
        {
            return null;
        }

        return new ClinicUser(
            userId,
            accountId,
            principal.FindFirstValue(AccountName) ?? "",
            principal.FindFirstValue(Name) ?? "",
            principal.FindFirstValue(Email) ?? "",
            role);
    }
}

/// <summary>Who is using the browser app, and for which clinic.</summary>
public sealed record ClinicUser(int UserId, int AccountId, string AccountName, string Name, string Email, UserRole Role)
{
    public bool IsMaster => Role == UserRole.Master;
}

/// <summary>Authorization policies of the browser app.</summary>
public static class ClinicPolicies
{
    /// <summary>Any signed-in staff member of a clinic (masters included): doctors and procedures.</summary>
    public const string Staff = "Staff";

    /// <summary>A master of the clinic: also access tokens and users.</summary>
    public const string Master = "Master";
}
