using ImageMais.Clinic.Realtime;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Keeps this instance's feed whole and the event log short: every <see cref="EventLogOptions.SweepInterval"/> the
/// feed reads from the log the events no offer brought (<see cref="AccountEventFeed.SweepAsync"/>), and every
/// <see cref="EventLogOptions.PruneInterval"/> events older than <see cref="EventLogOptions.RetentionDays"/> are deleted.
/// </summary>
public sealed partial class EventLogSweeper(
    AccountEventFeed feed,
    AccountEventLog log,
    IOptions<EventLogOptions> options,
    TimeProvider time,
    ILogger<EventLogSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        var nextPrune = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
                if (time.GetUtcNow() >= nextPrune)
                {
                    await PruneAsync(stoppingToken);
                    nextPrune = time.GetUtcNow() + settings.PruneInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await feed.SweepAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex);
        }
    }

    /// <summary>Deletes the events older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var days = Math.Max(1, options.Value.RetentionDays);
            var pruned = await log.PruneAsync(time.GetUtcNow().UtcDateTime.AddDays(-days), cancellationToken);
            if (pruned > 0)
            {
                LogPruned(pruned, days);
            }

            return pruned;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPruneFailed(ex);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the event log for undelivered events failed; the next sweep tries again")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} events older than {Days} days from the event log")]
    private partial void LogPruned(int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the event log failed; it is tried again later")]
    private partial void LogPruneFailed(Exception exception);
}
