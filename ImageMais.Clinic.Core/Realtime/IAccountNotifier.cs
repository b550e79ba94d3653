namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Delivers published events to subscribers in this process: per account (a Blazor circuit) or for every
/// account (the hub forwarder). Each subscriber gets its account's events in commit order, on its own queue,
/// so a slow or failing subscriber holds up no one else.
/// </summary>
public interface IAccountNotifier : IAccountEventPublisher
{
    /// <summary>Hear <paramref name="accountId"/>'s events until the returned subscription is disposed.</summary>
    IDisposable Subscribe(int accountId, Func<AccountEvent, Task> handler);

    /// <summary>Hear every account's events until the returned subscription is disposed.</summary>
    IDisposable SubscribeAll(Func<AccountEvent, Task> handler);
}
