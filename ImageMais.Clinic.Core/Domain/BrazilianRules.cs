using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace ImageMais.Clinic.Domain;

/// <summary>
/// The Brazilian rules doctors' data follow: CRM numbers, phone numbers with real area codes (DDD), e-mail.
/// Each <c>TryNormalize</c> returns the form that is stored and shown.
/// </summary>
public static partial class BrazilianRules
{
    /// <summary>The 27 federative units (26 states and the Federal District).</summary>
    public static readonly IReadOnlySet<string> StateCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
        "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    };

    /// <summary>The area codes (DDD) in use in Brazil.</summary>
    public static readonly IReadOnlySet<int> AreaCodes = new HashSet<int>
    {
        11, 12, 13, 14, 15, 16, 17, 18, 19,
        21, 22, 24, 27, 28,
        31, 32, 33, 34, 35, 37, 38,
        41, 42, 43, 44, 45, 46, 47, 48, 49,
        51, 53, 54, 55,
        61, 62, 63, 64, 65, 66, 67, 68, 69,
        71, 73, 74, 75, 77, 79,
        81, 82, 83, 84, 85, 86, 87, 88, 89,
        91, 92, 93, 94, 95, 96, 97, 98, 99,
    };

    /// <summary>
    /// A CRM is 1 to 8 digits, not all zeros, optionally followed by "/UF". The state code is upper-cased;
    /// the number is kept as written.
    /// </summary>
    public static bool TryNormalizeCrm(string? input, [NotNullWhen(true)] out string? crm)
    {
        crm = null;
        var match = CrmPattern().Match(input?.Trim() ?? "");
        if (!match.Success || match.Groups["number"].Value.All(c => c == '0'))
        {
            return false;
        }

        var number = match.Groups["number"].Value;
        var state = match.Groups["state"];
        if (!state.Success)
        {
            crm = number;
            return true;
        }

        var uf = state.Value.ToUpperInvariant();
        if (!StateCodes.Contains(uf))
        {
            return false;
        }

        crm = $"{number}/{uf}";
        return true;
    }

    /// <summary>
    /// A phone is an area code followed by a landline (8 digits, first 2–5) or a mobile (9 digits, first 9).
    /// Accepts bare digits or the usual punctuation, with or without the country code +55; returns
    /// "(81) 3333-4444" or "(81) 99999-9999".
    /// </summary>
    public static bool TryNormalizePhone(string? input, [NotNullWhen(true)] out string? phone)
    {
        phone = null;
        var text = input?.Trim() ?? "";
        if (text.Length == 0 || !PhoneCharacters().IsMatch(text))
        {
            return false;
        }

        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (text.StartsWith('+'))
        {
            if (!digits.StartsWith("55", StringComparison.Ordinal))
            {
                return false;
            }

            digits = digits[2..];
        }

        if (digits.Length is not (10 or 11) || !AreaCodes.Contains(int.Parse(digits[..2], System.Globalization.CultureInfo.InvariantCulture)))
        {
            return false;
        }

        var ddd = digits[..2];
        var number = digits[2..];
        var isLandline = number.Length == 8 && number[0] is >= '2' and <= '5';
        var isMobile = number.Length == 9 && number[0] == '9';
        if (!isLandline && !isMobile)
        {
            return false;
        }

        phone = $"({ddd}) {number[..^4]}-{number[^4..]}";
        return true;
    }

    /// <summary>A single plain address (no display name), with a dotted domain, at most 254 characters.</summary>
    public static bool TryNormalizeEmail(string? input, [NotNullWhen(true)] out string? email)
    {
        email = null;
        var text = input?.Trim() ?? "";
        if (text.Length is 0 or > Doctor.EmailMaxLength || !EmailShape().IsMatch(text))
        {
            return false;
        }

        if (!MailAddress.TryCreate(text, out var address) || address.Address != text || !string.IsNullOrEmpty(address.DisplayName))
        {
            return false;
        }

        email = text;
        return true;
    }

    [GeneratedRegex(@"^(?<number>[0-9]{1,8})(?:\s*/\s*(?<state>[A-Za-z]{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex CrmPattern();

    [GeneratedRegex(@"^\+?[0-9 ()\-.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCharacters();

    [GeneratedRegex(@"^[^@\s""(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();
}
