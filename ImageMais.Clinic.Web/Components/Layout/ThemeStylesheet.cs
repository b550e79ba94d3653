using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Layout;

/// <summary>
/// The product theme's CSS (MudBlazor's variables for <see cref="ClinicTheme"/>, light and dark) as one stylesheet,
/// built once for the whole app and served at <see cref="Path"/> with a long cache lifetime.
/// </summary>
/// <remarks>
/// <see cref="MudThemeProvider"/> builds the same stylesheet inside every circuit and keeps it in its render tree,
/// several copies of some 12,000 characters for each open tab. The theme never changes while the app runs, so every
/// tab links this one file instead. Dark mode is the <c>clinic-dark</c> class on <c>&lt;html&gt;</c>, set before the
/// first paint by the page head and switched by the layout.
/// </remarks>
public sealed partial class ThemeStylesheet(IServiceProvider services)
{
    public const string Path = "/theme.css";

    /// <summary>The class on <c>&lt;html&gt;</c> that selects the dark palette.</summary>
    public const string DarkClass = "clinic-dark";

    private readonly Lazy<Task<Content>> _content = new(() => BuildAsync(services));

    /// <summary>The stylesheet, built on first use.</summary>
    public Task<Content> GetAsync() => _content.Value;

    /// <param name="Css">The stylesheet's text.</param>
    /// <param name="Version">A hash of the text: the address changes when the theme does.</param>
    public sealed record Content(string Css, string Version)
    {
        /// <summary>The address pages link: versioned by content, so browsers may cache it for good.</summary>
        public string Url => $"{Path}?v={Version}";
    }

    private static async Task<Content> BuildAsync(IServiceProvider services)
    {
        // The provider's own rendering, through the static HTML renderer: the variables are exactly those its
        // components expect, for whatever MudBlazor version is installed.
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var light = await RenderAsync(renderer, dark: false);
        var dark = await RenderAsync(renderer, dark: true);

        var css = new StringBuilder("/* ImageMais Clinic theme: MudBlazor variables, light on :root, dark on :root.")
            .Append(DarkClass).Append(" */\n");
        foreach (var block in StyleBlock().Matches(light).Select(m => m.Groups["css"].Value.Trim()))
        {
            css.Append(block).Append('\n');
        }

        var darkVariables = RootBlock().Match(dark);
        if (!darkVariables.Success)
        {
            throw new InvalidOperationException("MudBlazor's theme provider rendered no :root block for the dark palette.");
        }

        css.Append(":root.").Append(DarkClass).Append(darkVariables.Groups["body"].Value).Append('\n');
        var text = css.ToString();
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return new Content(text, version);
    }

    private static Task<string> RenderAsync(HtmlRenderer renderer, bool dark) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = ClinicTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            }));
            return output.ToHtmlString();
        });

    [GeneratedRegex(@"<style[^>]*>(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex(@":root(?<body>\s*\{[^}]*\})", RegexOptions.Singleline)]
    private static partial Regex RootBlock();
}
