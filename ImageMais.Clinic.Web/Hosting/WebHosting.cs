using System.Globalization;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Endpoints;
using Microsoft.Extensions.FileProviders;
using ImageMais.Clinic.Web.Components.Layout;
using ImageMais.Clinic.Web.Components.Shared;
using MudBlazor.Services;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>The HTTP side shared by the browser app, the API and the hub: errors, localization, UI services.</summary>
public static class WebHosting
{
    /// <summary>Brazilian Portuguese by default; English when the browser asks for it.</summary>
    public static readonly CultureInfo[] SupportedCultures = [new("pt-BR"), new("en")];

    /// <summary>Where the app listens when nothing else says (the README's quick start).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplicationBuilder AddClinicWeb(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrl();

        // `dotnet run` serves the framework's and MudBlazor's files from the build output through the static web
        // assets manifest, which the host reads by itself only in Development; without it every other environment
        // would answer blazor.web.js with an error and no page would become interactive. A published app has no
        // such manifest (its files are in wwwroot), so there this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddProblemDetails();
        builder.Services.AddLocalization();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddClinicUi();
        return builder;
    }

    public static WebApplication UseClinicWeb(this WebApplication app)
    {
        app.UseRequestLocalization(options =>
        {
            options.SetDefaultCulture(SupportedCultures[0].Name);
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            options.FallBackToParentUICultures = true;
            options.FallBackToParentCultures = true;
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        else
        {
            app.UseExceptionHandler();
        }

        // The API and the hubs answer with their own status codes (401, 404, problem+json);
        // only browser pages get the friendly not-found page. A bodiless API error (401, unknown route) gets problem+json.
        app.UseWhen(
            context => !IsApiOrHub(context.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseWhen(context => ApiEndpoints.IsApiPath(context.Request.Path), branch => branch.UseStatusCodePages());

        app.UseProductAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// Serves the theme's stylesheet (<see cref="ThemeStylesheet"/>). Pages link it with its content version in the
    /// query, so that address is cached for good; any other is revalidated.
    /// </summary>
    public static WebApplication MapClinicTheme(this WebApplication app)
    {
        app.MapGet(ThemeStylesheet.Path, async (HttpContext context, ThemeStylesheet theme) =>
        {
            var stylesheet = await theme.GetAsync();
            context.Response.Headers.CacheControl = context.Request.Query["v"] == stylesheet.Version
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            return Results.Text(stylesheet.Css, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Serves <c>wwwroot-assets/</c> (copied beside the app by the build) under <c>/assets/</c>.</summary>
    private static void UseProductAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = "/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
    }

    /// <summary>
    /// Listens on <see cref="DefaultUrl"/> unless an address is configured in any of the usual ways (<c>--urls</c>,
    /// <c>Urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, <c>Kestrel:Endpoints</c>). Set in code rather than
    /// in appsettings.json, where it would outrank the <c>ASPNETCORE_</c> variables hosting platforms and containers set.
    /// </summary>
    private static void UseDefaultUrl(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    public static bool IsApiOrHub(PathString path) =>
        ApiEndpoints.IsApiPath(path) || path.StartsWithSegments(AccessTokenAuthentication.HubsPath) || path.StartsWithSegments("/openapi");
}
