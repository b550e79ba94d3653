using System.Globalization;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>Prices in reais, written the Brazilian way ("R$ 1.234,50") whatever the UI language.</summary>
public static class Money
{
    /// <summary>The culture prices are written and typed in.</summary>
    public static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    // "C" would put a no-break space after "R$"; an ordinary one copies and searches as people expect.
    public static string Format(decimal price) => "R$ " + price.ToString("N2", Brazil);

}
