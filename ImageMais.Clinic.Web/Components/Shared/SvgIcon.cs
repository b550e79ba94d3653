using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// MudBlazor's icons as inline SVG markup, for plain elements that stand in for MudBlazor components where a page
/// needs only the look (a component costs server memory for as long as its tab is open; markup costs one frame).
/// </summary>
public static class SvgIcon
{
    // One string per icon and classes for the whole app: every open tab's render tree points at the same one.
    private static readonly ConcurrentDictionary<(string Icon, string Classes), MarkupString> Markup = new();

    /// <param name="icon">An icon of <see cref="MudBlazor.Icons"/> (its SVG content).</param>
    /// <param name="classes">MudBlazor's icon classes beyond the root ones: size, colour, placement.</param>
    public static MarkupString Of(string icon, string classes = "mud-icon-size-medium") =>
        Markup.GetOrAdd((icon, classes), key => new MarkupString(
            $"""<svg class="mud-icon-root mud-svg-icon {key.Classes}" focusable="false" viewBox="0 0 24 24" aria-hidden="true">{key.Icon}</svg>"""));
}
