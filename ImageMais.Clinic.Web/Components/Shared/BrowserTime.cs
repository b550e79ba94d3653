namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// The time zone of the browser, cascaded by the layout once the circuit has asked the browser for it (until
/// then, UTC). Times are stored in UTC; people read them in their own zone.
/// </summary>
public sealed record BrowserTime(TimeZoneInfo Zone)
{
    public static readonly BrowserTime Utc = new(TimeZoneInfo.Utc);

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Date and time in the UI language's short form, e.g. "23/01/2025 07:30".</summary>
    public string Format(DateTime utc) => ToLocal(utc).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    public string Format(DateTime? utc) => utc is { } value ? Format(value) : "—";

    /// <summary>The zone named by the browser (IANA id), or UTC when the server does not know it.</summary>
    public static BrowserTime FromId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? new BrowserTime(zone) : Utc;
}
