using System.Globalization;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>Text of the sign-in pages and user menu: Brazilian Portuguese, or English when the browser asks for it.</summary>
public static class SignInText
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the request's language.</summary>
    public static string T(string portuguese, string english) => IsEnglish ? english : portuguese;

    public static string RoleName(Domain.UserRole role) => role switch
    {
        Domain.UserRole.Master => "Master",
        _ => "Staff",
    };
}
