using Microsoft.AspNetCore.Components.Authorization;

namespace ImageMais.Clinic.Web.Auth;

/// <summary>
/// The signed-in user and their clinic, for pages and circuit-scoped services. Fed by the authentication state
/// of the circuit (not by the HTTP context, which an interactive component must not use).
/// </summary>
public interface ICurrentAccount
{
    /// <summary>The signed-in staff member; throws when there is none (use it behind <c>[Authorize]</c>).</summary>
    Task<ClinicUser> GetAsync();

    /// <summary>The signed-in staff member, or <c>null</c>.</summary>
    Task<ClinicUser?> FindAsync();
}

public sealed class CurrentAccount(AuthenticationStateProvider authenticationState) : ICurrentAccount
{
    public async Task<ClinicUser> GetAsync() =>
        await FindAsync() ?? throw new InvalidOperationException("No staff member is signed in; the page must require the Staff policy.");

    public async Task<ClinicUser?> FindAsync()
    {
        var state = await authenticationState.GetAuthenticationStateAsync();
        return state.User.ToClinicUser();
    }
}
