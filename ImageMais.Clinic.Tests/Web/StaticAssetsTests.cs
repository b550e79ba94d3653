using System.Net;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Web;

public sealed class StaticAssetsTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Theory]
    [InlineData("/assets/logo.svg", "image/svg+xml")]
    [InlineData("/assets/favicon.svg", "image/svg+xml")]
    [InlineData("/assets/clinic.css", "text/css")]
    public async Task The_products_own_assets_are_served_from_wwwroot_assets(string path, string contentType)
    {
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var expected = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "wwwroot-assets", path["/assets/".Length..]));
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

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ImageMais.Clinic.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
