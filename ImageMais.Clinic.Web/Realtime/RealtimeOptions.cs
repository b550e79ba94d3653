namespace ImageMais.Clinic.Web.Realtime;

/// <summary>Settings of the public hub (section <c>Realtime</c>).</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// How often the live hub connections' tokens are checked against the database, so a revoked token's
    /// connections close within this time (the contract allows 5 seconds).
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
