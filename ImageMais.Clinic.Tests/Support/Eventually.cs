namespace ImageMais.Clinic.Tests.Support;

/// <summary>Waits for a condition on the server side (no event to await), checking it every few milliseconds until a timeout.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, because);

    /// <summary>The same for a condition that must ask something (the database, Redis, an HTTP endpoint) to answer.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var ticks = new PeriodicTimer(Interval);
        while (!await condition())
        {
            try
            {
                await ticks.WaitForNextTickAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still not true after {timeout.TotalSeconds:0.#} s: {because}");
            }
        }
    }
}
