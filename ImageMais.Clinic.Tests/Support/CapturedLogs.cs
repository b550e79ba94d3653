using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>Keeps every entry an app logs (as far as its filters let through), with its category, level and scopes.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Dictionary<string, object?> Scopes)> Entries { get; } = new();

    /// <summary>Whether <paramref name="category"/> logged a warning (or worse) containing <paramref name="text"/>.</summary>
    public bool ContainsWarning(string category, string text) =>
        Entries.Any(e => e.Category == category && e.Level >= LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (scope, values) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            values[pair.Key] = pair.Value;
                        }
                    }
                },
                scopes);
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception), scopes));
        }
    }
}
