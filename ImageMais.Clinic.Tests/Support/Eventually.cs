namespace ImageMais.Clinic.Tests.Support;

/// <summary>Waits for a condition on the server side (no event to await), checking it every few milliseconds until a timeout.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
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
