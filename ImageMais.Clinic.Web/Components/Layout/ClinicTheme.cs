using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Layout;

/// <summary>The product's colours (those of its logo), light and dark.</summary>
public static class ClinicTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0E6E7E",
            Secondary = "#4B8F86",
            AppbarBackground = "#0E6E7E",
            AppbarText = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7FD8C9",
            Secondary = "#7FD8C9",
            AppbarBackground = "#0B4F5A",
            AppbarText = "#FFFFFF",
        },
    };
}
