using ImageMais.Clinic.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageMais.Clinic.Features.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>Failed sign-ins in a row that lock a user out, and for how long.</summary>
    public const int MaxFailedSignIns = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The user service and Identity's <see cref="UserManager{TUser}"/> over the clinic's users (password checks and
    /// lockout for the embedded sign-in).
    /// </summary>
    public static IServiceCollection AddClinicUsers(this IServiceCollection services)
    {
        services.AddSingleton<UserService>();
        services.AddIdentityCore<User>(options =>
            {
                options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
            })
            .AddUserStore<ClinicUserStore>();

        // Addresses are checked and kept unique by UserService and the unique index; Identity's validator would only
        // repeat a lookup on every update.
        services.RemoveAll<IUserValidator<User>>();
        return services;
    }
}
