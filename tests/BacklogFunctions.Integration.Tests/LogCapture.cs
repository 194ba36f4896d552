using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BacklogFunctions.Integration.Tests;

/// <summary>A logging provider that keeps every line a program writes, exceptions included, for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, string Message, string? Exception, string State);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>Everything logged, as one text: message, structured values and exceptions.</summary>
    public string AllText() => string.Join('\n', _entries.Select(e => $"{e.Level} {e.Category}: {e.Message} | {e.State} | {e.Exception}"));

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : state?.ToString() ?? string.Empty;
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception?.ToString(), values));
        }
    }
}
