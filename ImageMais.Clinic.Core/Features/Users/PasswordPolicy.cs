using System.Security.Cryptography;

namespace ImageMais.Clinic.Features.Users;

/// <summary>What a local user's password must be, and how the app makes one when none is given.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!@#$%&*?";

    /// <summary>The message of the first rule <paramref name="password"/> breaks, or <c>null</c> when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (password is null || password.Length < MinLength)
        {
            return string.Format(Messages.PasswordTooShort, MinLength);
        }

        return password.Any(char.IsUpper) && password.Any(char.IsLower) && password.Any(char.IsDigit)
            ? null
            : Messages.PasswordTooSimple;
    }

    /// <summary>A random 16-character password with every kind of character, without look-alikes (0/O, 1/l/I).</summary>
    public static string Generate()
    {
        const string all = Upper + Lower + Digits + Symbols;
        var chars = new char[16];
        chars[0] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[1] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        chars[3] = Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
