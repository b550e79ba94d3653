using ImageMais.Clinic.Features.AccessTokens;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Closes hub connections whose access token is no longer active. SignalR closes a connection at its token's
/// expiry by itself; a revocation, made on this instance or any other sharing the database, is seen here
/// within <see cref="RealtimeOptions.RevocationCheckInterval"/>: one query a tick for all live connections.
/// </summary>
public sealed partial class AccessTokenRevocationWatcher(
    LiveHubConnections liveConnections,
    AccessTokenService tokens,
    IOptions<RealtimeOptions> options,
    TimeProvider time,
    ILogger<AccessTokenRevocationWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevocationCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CloseRevokedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    /// <summary>One sweep: aborts every live connection whose token was revoked (or has expired).</summary>
    public async Task CloseRevokedAsync(CancellationToken cancellationToken)
    {
        var live = liveConnections.Snapshot();
        if (live.Count == 0)
        {
            return;
        }

        try
        {
            var active = await tokens.ActiveAmongAsync([.. live.Select(c => c.TokenId).Distinct(StringComparer.Ordinal)], cancellationToken);
            foreach (var connection in live.Where(c => !active.Contains(c.TokenId)))
            {
                LogClosing(connection.Context.ConnectionId, connection.AccountId);
                liveConnections.Remove(connection.Context.ConnectionId);
                connection.Context.Abort();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A database hiccup must not stop the watcher; the next tick tries again.
            LogSweepFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing hub connection {ConnectionId} of account {AccountId}: its access token is no longer active")]
    private partial void LogClosing(string connectionId, int accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the access tokens of the live hub connections")]
    private partial void LogSweepFailed(Exception exception);
}
