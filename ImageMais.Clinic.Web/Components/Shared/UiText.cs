namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// The browser app's text: <c>UiText.resx</c> is Brazilian Portuguese (the default), <c>UiText.en.resx</c> English.
/// Components read it through <c>IStringLocalizer&lt;UiText&gt;</c>.
/// </summary>
public sealed class UiText;
