namespace ImageMais.Clinic.Features;

public enum FailureKind
{
    /// <summary>The input breaks a rule; <see cref="Failure.Errors"/> says which field and why.</summary>
    Invalid,

    /// <summary>No such thing in this account.</summary>
    NotFound,

    /// <summary>The input is valid but clashes with what is stored (duplicate CRM, procedure in use).</summary>
    Conflict,
}

/// <summary>Why an operation did not happen. Nothing was written.</summary>
public sealed record Failure(FailureKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Failure NotFound(string message) => new(FailureKind.NotFound, message);

    public static Failure Conflict(string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(FailureKind.Conflict, message, errors);

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureKind.Invalid, Messages.ValidationFailed, errors);

    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The value an operation produced, or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}

/// <summary>The outcome of an operation that produces nothing but success.</summary>
public readonly record struct Done;
