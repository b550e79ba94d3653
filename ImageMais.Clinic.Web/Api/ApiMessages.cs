namespace ImageMais.Clinic.Web.Api;

/// <summary>
/// The API's own messages (about the request itself rather than a field rule): <c>ApiMessages.resx</c> is
/// Brazilian Portuguese, <c>ApiMessages.en.resx</c> English. Read through <c>IStringLocalizer&lt;ApiMessages&gt;</c>.
/// </summary>
public sealed class ApiMessages
{
    public const string BodyRequired = nameof(BodyRequired);
    public const string EventsAfterInvalid = nameof(EventsAfterInvalid);
    public const string EventsLimitInvalid = nameof(EventsLimitInvalid);
    public const string EventsGone = nameof(EventsGone);
    public const string EventsAhead = nameof(EventsAhead);
    public const string BodyNotAnObject = nameof(BodyNotAnObject);
    public const string BodyMalformed = nameof(BodyMalformed);
    public const string BodyTooLarge = nameof(BodyTooLarge);
    public const string BodyNotJson = nameof(BodyNotJson);
    public const string WrongType = nameof(WrongType);
    public const string TypeString = nameof(TypeString);
    public const string TypeBoolean = nameof(TypeBoolean);
    public const string TypeInteger = nameof(TypeInteger);
    public const string TypeIntegerList = nameof(TypeIntegerList);
    public const string TypePrice = nameof(TypePrice);
    public const string TypeOther = nameof(TypeOther);
    public const string InvalidTitle = nameof(InvalidTitle);
    public const string UnexpectedError = nameof(UnexpectedError);

    private ApiMessages()
    {
    }
}
