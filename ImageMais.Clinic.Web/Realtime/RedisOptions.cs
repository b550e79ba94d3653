namespace ImageMais.Clinic.Web.Realtime;

/// <summary>Scale-out settings (section <c>Redis</c>). Without a connection string the app runs alone, as before.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Start of every Redis key and channel the app uses (<c>{prefix}:events</c>, <c>{prefix}:data-protection-keys</c>),
    /// so several deployments can share one Redis.
    /// </summary>
    public string ChannelPrefix { get; set; } = "imagemais-clinic";

    /// <summary>
    /// Events waiting to be shared with the other instances. Past this (Redis far behind or unreachable for long),
    /// further events are still delivered on this instance, counted and not shared.
    /// </summary>
    public int PublishQueueCapacity { get; set; } = 10_000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    public string EventsChannel => ChannelPrefix + ":events";

    public string DataProtectionKey => ChannelPrefix + ":data-protection-keys";
}
