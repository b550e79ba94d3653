namespace ImageMais.Clinic.Features;

internal static class Clock
{
    /// <summary>Now in UTC, cut to whole milliseconds: what the database keeps is what the API shows.</summary>
    public static DateTime UtcNowMs(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
