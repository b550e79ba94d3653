using Bunit;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Components;

public sealed class MainLayoutTests(SqliteDatabase database) : ComponentTest(database)
{
    private static readonly RenderFragment Body = builder => builder.AddMarkupContent(0, "<p id=\"body\">conteúdo</p>");

    [Fact]
    public async Task Staff_see_the_clinic_their_name_and_role_and_a_menu_without_access_tokens_and_users()
    {
        await SignInNewAccountAsync(UserRole.Staff);

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));

        Assert.Equal("Clínica Teste", layout.Find("[data-testid=clinic-name]").TextContent);
        Assert.Equal("Maria Souza", layout.Find("[data-testid=user-name]").TextContent);
        Assert.Equal("Staff", layout.Find("[data-testid=user-role]").TextContent);
        Assert.NotNull(layout.Find("[data-testid=nav-toggle]"));
        Assert.NotNull(layout.Find("[data-testid=nav-drawer] [data-testid=nav-doctors]"));
        Assert.NotNull(layout.Find("[data-testid=nav-drawer] [data-testid=nav-procedures]"));
        Assert.Empty(layout.FindAll("[data-testid=nav-access-tokens]"));
        Assert.Empty(layout.FindAll("[data-testid=nav-users]"));
        Assert.Equal("conteúdo", layout.Find("main #body").TextContent);
    }

    [Fact]
    public async Task MudBlazors_providers_are_drawn_only_once_the_tab_first_shows_a_message_or_a_dialog()
    {
        await SignInNewAccountAsync(UserRole.Staff);
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));
        Assert.Empty(layout.FindComponents<MudBlazor.MudSnackbarProvider>());
        Assert.Empty(layout.FindComponents<MudBlazor.MudDialogProvider>());
        Assert.Empty(layout.FindComponents<MudBlazor.MudPopoverProvider>());

        var overlays = Services.GetRequiredService<ImageMais.Clinic.Web.Components.Shared.Overlays>();
        var notified = layout.InvokeAsync(() => overlays.NotifyAsync("Médico salvo.", MudBlazor.Severity.Success));

        await notified.WaitAsync(Timeout);
        layout.WaitForAssertion(() => Assert.Contains("Médico salvo.", layout.Find(".mud-snackbar").TextContent, StringComparison.Ordinal), Timeout);
        Assert.Single(layout.FindComponents<MudBlazor.MudDialogProvider>());
        Assert.Single(layout.FindComponents<MudBlazor.MudPopoverProvider>());
    }

    [Fact]
    public async Task Masters_also_get_access_tokens_and_users_in_the_menu()
    {
        await SignInNewAccountAsync(UserRole.Master);

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));

        Assert.NotNull(layout.Find("[data-testid=nav-access-tokens]"));
        Assert.NotNull(layout.Find("[data-testid=nav-users]"));
        Assert.Equal("Master", layout.Find("[data-testid=user-role]").TextContent);
    }

    [Fact]
    public void Visitors_get_a_sign_in_button_and_no_menu()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));

        Assert.Empty(layout.FindAll("[data-testid=nav-drawer]"));
        Assert.Empty(layout.FindAll("[data-testid=nav-toggle]"));
        Assert.Empty(layout.FindAll("[data-testid=user-menu]"));
        Assert.Equal("/account/signin", layout.Find("header a.mud-button-outlined").GetAttribute("href"));
    }

    [Fact]
    public async Task The_current_page_is_marked_in_the_menu_and_follows_navigation()
    {
        await SignInNewAccountAsync(UserRole.Master);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/doctors");
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));
        Assert.Contains("active", layout.Find("[data-testid=nav-doctors]").ClassList);
        Assert.Equal("page", layout.Find("[data-testid=nav-doctors]").GetAttribute("aria-current"));

        navigation.NavigateTo("/access-tokens");

        layout.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("active", layout.Find("[data-testid=nav-doctors]").ClassList);
            Assert.Contains("active", layout.Find("[data-testid=nav-access-tokens]").ClassList);
        }, Timeout);
    }

    [Fact]
    public async Task The_theme_button_switches_the_palette_in_the_browser_and_says_what_it_will_do_next()
    {
        await SignInNewAccountAsync(UserRole.Staff);
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, Body));
        Assert.Equal("Tema escuro", layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));

        await layout.Find("[data-testid=theme-toggle]").ClickAsync(new());

        Assert.Equal("Tema claro", layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));
        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "clinic.useTheme");
        Assert.Equal([true], call.Arguments);
    }
}
