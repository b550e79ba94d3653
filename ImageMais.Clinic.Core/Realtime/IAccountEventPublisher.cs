namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Where feature services hand an event once its change is committed. Publishing never blocks on, nor fails
/// because of, whoever listens.
/// </summary>
public interface IAccountEventPublisher
{
    void Publish(AccountEvent accountEvent);
}
