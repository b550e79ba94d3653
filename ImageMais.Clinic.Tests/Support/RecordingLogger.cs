using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>Keeps the error entries written to it, to check that failures are logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Channel<(string Message, Exception? Exception)> _errors = Channel.CreateUnbounded<(string, Exception?)>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
        {
            _errors.Writer.TryWrite((formatter(state, exception), exception));
        }
    }

    public async Task<List<(string Message, Exception? Exception)>> ErrorsAsync(int count)
    {
        var errors = new List<(string, Exception?)>();
        while (errors.Count < count)
        {
            errors.Add(await _errors.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        return errors;
    }
}
