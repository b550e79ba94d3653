using ImageMais.Clinic.Features;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// The per-field messages of a service <see cref="Failure"/> (keys are the API's camelCase field names), for
/// showing each under its input.
/// </summary>
public sealed class ValidationMessages
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    /// <summary>
    /// Shows <paramref name="failure"/>'s per-field messages; a failure without any (a conflict, a missing record)
    /// shows its message among those of no input (<see cref="Except"/>).
    /// </summary>
    public void Show(Failure failure) =>
        _errors = failure.Errors ?? new Dictionary<string, string[]> { ["form"] = [failure.Message] };

    public void Clear() => _errors = new Dictionary<string, string[]>();

    public void Clear(string field)
    {
        if (_errors.ContainsKey(field))
        {
            _errors = _errors.Where(e => e.Key != field).ToDictionary(e => e.Key, e => e.Value);
        }
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? For(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Messages of fields that have no input of their own.</summary>
    public IEnumerable<string> Except(params string[] fields) =>
        _errors.Where(e => !fields.Contains(e.Key)).SelectMany(e => e.Value);
}
