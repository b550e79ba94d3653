using System.Globalization;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// The language a component was created in. Events reach a page on the notifier's threads, which carry no
/// request culture; rendering under this scope keeps the text and formats of an English tab in English.
/// </summary>
public readonly record struct CircuitCulture(CultureInfo Culture, CultureInfo UiCulture)
{
    public static CircuitCulture Current => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>Switches the current thread to this culture until the returned scope is disposed.</summary>
    public Scope Use()
    {
        var previous = Current;
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (Culture, UiCulture);
        return new Scope(previous);
    }

    public readonly struct Scope(CircuitCulture previous) : IDisposable
    {
        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous.Culture, previous.UiCulture);
    }
}
