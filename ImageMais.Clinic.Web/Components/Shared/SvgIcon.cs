using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// MudBlazor's icons as inline SVG markup, for plain elements that stand in for MudBlazor components where a page
/// needs only the look (a component costs server memory for as long as its tab is open; markup costs one frame).
/// </summary>
public static class SvgIcon
{
    // One string per icon and size for the whole app: every open tab's render tree points at the same one.
    private static readonly ConcurrentDictionary<(string Icon, string Size), MarkupString> Markup = new();

    /// <param name="icon">An icon of <see cref="MudBlazor.Icons"/> (its SVG content).</param>
    /// <param name="size">MudBlazor's icon size class suffix: small, medium or large.</param>
    public static MarkupString Of(string icon, string size = "medium") =>
        Markup.GetOrAdd((icon, size), key => new MarkupString(
            $"""<svg class="mud-icon-root mud-svg-icon mud-icon-size-{key.Size}" focusable="false" viewBox="0 0 24 24" aria-hidden="true">{key.Icon}</svg>"""));
}
