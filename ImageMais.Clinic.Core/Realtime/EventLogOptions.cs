namespace ImageMais.Clinic.Realtime;

/// <summary>Settings of the account event log (section <c>Events</c>).</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "Events";

    /// <summary>How long each account's events stay replayable (hub <c>Resume</c>, <c>GET /api/events</c>); at least 1.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>
    /// How often each instance compares what it delivered with the accounts' counters in the database, to deliver
    /// from the log what did not reach it otherwise (a process that died after its commit, Redis down). An event is
    /// read from the log once it is older than one sweep, so it is delivered within about two.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often events older than <see cref="RetentionDays"/> are deleted.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
