using System.Net;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Web;

public sealed class StaticAssetsTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Theory]
    [InlineData("/assets/logo.svg", "image/svg+xml")]
    [InlineData("/assets/favicon.svg", "image/svg+xml")]
    [InlineData("/assets/clinic.css", "text/css")]
    [InlineData("/assets/theme.js", "text/javascript")]
    public async Task The_products_own_assets_are_served_from_wwwroot_assets(string path, string contentType)
    {
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var expected = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "wwwroot-assets", path["/assets/".Length..]));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_home_page_links_the_logo_and_favicon()
    {
        using var client = app.CreateAnonymousClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("assets/logo.svg", html, StringComparison.Ordinal);
        Assert.Contains("assets/favicon.svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_links_one_theme_stylesheet_with_the_products_colours_light_and_dark_cached_for_good()
    {
        using var client = app.CreateAnonymousClient();
        var html = await client.GetStringAsync("/");
        var link = Regex.Match(html, @"href=""(?<url>/theme\.css\?v=[0-9a-f]{16})""").Groups["url"].Value;
        Assert.NotEmpty(link);
        Assert.DoesNotContain("--mud-palette-primary", html, StringComparison.Ordinal);

        using var response = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var css = await response.Content.ReadAsStringAsync();
        var light = Regex.Match(css, @":root\s*\{(?<vars>[^}]*)\}").Groups["vars"].Value;
        var dark = Regex.Match(css, @":root\.clinic-dark\s*\{(?<vars>[^}]*)\}").Groups["vars"].Value;
        Assert.Contains("--mud-palette-primary: rgba(14,110,126,1);", light, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-appbar-background: rgba(14,110,126,1);", light, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(127,216,201,1);", dark, StringComparison.Ordinal);
        Assert.Contains("--mud-native-html-color-scheme: dark;", dark, StringComparison.Ordinal);

        using var unversioned = await client.GetAsync("/theme.css");
        Assert.Equal("no-cache", unversioned.Headers.CacheControl?.ToString());
        Assert.Equal(css, await unversioned.Content.ReadAsStringAsync());
    }
}
