namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Where <see cref="AccountCommitter"/> hands an event once its change (and the event's row in the log) committed:
/// to this instance's subscribers and, with scale-out, to the other instances. Publishing never blocks on, nor
/// fails because of, whoever listens; an event that is not published is still delivered from the log.
/// </summary>
public interface IAccountEventPublisher
{
    void Publish(AccountEvent committed);
}

/// <summary>
/// Publishes to this instance's subscribers only: the publisher of a process with no other instance to tell (the
/// ops commands). Their events reach the app's instances from the log, through the instances' sweeps.
/// </summary>
internal sealed class LocalEventPublisher(AccountEventFeed feed) : IAccountEventPublisher
{
    public void Publish(AccountEvent committed) => feed.Offer(committed);
}
