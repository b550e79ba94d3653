using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// MudBlazor's own text (pager, grid, dialogs) in the app's language: a key found in <see cref="UiText"/> wins,
/// anything else falls back to MudBlazor's built-in English.
/// </summary>
public sealed class ClinicMudLocalizer(IStringLocalizer<UiText> text) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var translated = text[key];
            return translated.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : translated;
        }
    }
}
