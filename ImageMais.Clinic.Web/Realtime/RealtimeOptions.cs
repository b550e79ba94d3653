namespace ImageMais.Clinic.Web.Realtime;

/// <summary>Settings of the public hub (section <c>Realtime</c>).</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// How often the live hub connections' tokens are checked against the database, so a revoked token's
    /// connections close within this time (at most 5 seconds, as docs/realtime.md promises).
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a new hub connection waits for the client's <c>Resume</c> before it hears live events. A client that
    /// resumes calls it as soon as it is connected, and gets the older events it missed before any newer one; a
    /// client that does not resume gets the events of this moment once it is over, none missed.
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(1);
}
