using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageMais.Clinic;

public static class ClinicServiceCollectionExtensions
{
    /// <summary>The feature services, the account event log and this instance's event feed. The database comes from <see cref="DataServiceCollectionExtensions.AddClinicData"/>.</summary>
    public static IServiceCollection AddClinicFeatures(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddOptions<AccessTokenOptions>();

        services.AddOptions<EventLogOptions>();
        services.AddSingleton<AccountEventLog>();
        services.AddSingleton<AccountEventFeed>();
        services.AddSingleton<IAccountEventPublisher, AccountEventPublisher>();
        services.AddSingleton<AccountCommitter>();

        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ProcedureService>();
        services.AddSingleton<DoctorService>();
        services.AddSingleton<AccessTokenSigningKey>();
        services.AddSingleton<AccessTokenService>();
        return services;
    }
}
