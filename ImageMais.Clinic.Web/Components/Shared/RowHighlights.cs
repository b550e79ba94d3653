namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// Rows just changed, shown with the <c>row-highlight</c> class for <see cref="Duration"/> (the length of its
/// animation), so the same row can flash again on its next change.
/// </summary>
public sealed class RowHighlights : IDisposable
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    private readonly Dictionary<int, CancellationTokenSource> _rows = [];
    private readonly TimeProvider _time;

    public RowHighlights(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Raised when a highlight ends, off the renderer's thread: marshal before rendering.</summary>
    public event Func<Task>? Changed;

    public bool Contains(int id)
    {
        lock (_rows)
        {
            return _rows.ContainsKey(id);
        }
    }

    public void Add(int id)
    {
        var expiry = new CancellationTokenSource(Duration, _time);
        lock (_rows)
        {
            if (_rows.Remove(id, out var previous))
            {
                previous.Dispose();
            }

            _rows[id] = expiry;
        }

        expiry.Token.Register(() => _ = EndAsync(id, expiry));
    }

    private async Task EndAsync(int id, CancellationTokenSource expiry)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue(id, out var current) || current != expiry)
            {
                return;
            }

            _rows.Remove(id);
        }

        expiry.Dispose();
        if (Changed is { } changed)
        {
            await changed();
        }
    }

    public void Dispose()
    {
        lock (_rows)
        {
            foreach (var expiry in _rows.Values)
            {
                expiry.Dispose();
            }

            _rows.Clear();
        }
    }
}
