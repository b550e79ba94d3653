using System.Security.Cryptography;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// One RSA key for the embedded provider of every app the tests start: generating one takes a second or more,
/// which each app instance would otherwise spend on its fresh database.
/// </summary>
public static class TestSigningKey
{
    private static readonly Lazy<string> Key = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
    });

    /// <summary>Base64 PKCS#8, as <c>Authentication:Server:SigningKey</c> takes it.</summary>
    public static string Pkcs8Base64 => Key.Value;
}
