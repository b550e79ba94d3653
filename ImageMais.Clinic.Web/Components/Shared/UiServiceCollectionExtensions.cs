using Microsoft.AspNetCore.Components.Server.Circuits;
using ImageMais.Clinic.Web.Components.Layout;
using ImageMais.Clinic.Web.Components.Pages.Doctors;
using ImageMais.Clinic.Web.Components.Pages.Procedures;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Shared;

public static class UiServiceCollectionExtensions
{
    /// <summary>What the browser app's pages need beyond MudBlazor: its text in MudBlazor's components, the shared theme stylesheet, the clinics' live doctor and procedure lists and the reconnection signal.</summary>
    public static IServiceCollection AddClinicUi(this IServiceCollection services)
    {
        services.AddTransient<MudLocalizer, ClinicMudLocalizer>();
        services.AddSingleton<ThemeStylesheet>();
        services.AddSingleton<LiveDoctorLists>();
        services.AddSingleton<LiveProcedureLists>();
        services.AddScoped<Overlays>();
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitConnection>());
        return services;
    }
}
