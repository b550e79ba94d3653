using ImageMais.Clinic.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>Test data made through the feature services, whichever container holds them (the app's, or a bare database's).</summary>
public static class ClinicServices
{
    /// <summary>Creates a clinic account with its master user, through the same service the CLI uses.</summary>
    public static async Task<AccountCreated> CreateAccountAsync(this IServiceProvider services, string? name = null)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var result = await services.GetRequiredService<AccountService>().CreateAsync(name ?? $"Clínica {unique}", $"master-{unique}@example.com");
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }
}
