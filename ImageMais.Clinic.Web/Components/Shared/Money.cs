using System.Globalization;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>Prices in reais, written the Brazilian way ("R$ 1.234,50") whatever the UI language.</summary>
public static class Money
{
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    // "C" would put a no-break space after "R$"; an ordinary one copies and searches as people expect.
    public static string Format(decimal price) => "R$ " + price.ToString("N2", Brazil);

    /// <summary>Reads "100", "100,5", "1.234,56" or "R$ 1.234,56"; <c>null</c> when it is not a number.</summary>
    public static decimal? Parse(string? text)
    {
        var cleaned = (text ?? "").Replace("R$", "", StringComparison.OrdinalIgnoreCase).Trim();
        return decimal.TryParse(cleaned, NumberStyles.Number, Brazil, out var price) ? price : null;
    }
}
