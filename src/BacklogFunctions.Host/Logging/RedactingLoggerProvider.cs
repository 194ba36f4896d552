using System.Collections;

namespace BacklogFunctions.Host.Logging;

/// <summary>
/// Wraps every logging provider of the program so that no secret reaches a log at any level: each message, and
/// each value of its structured state, passes through the <see cref="SecretRedactor"/> before a provider sees it.
/// This covers what the program logs and what the framework logs (hosting diagnostics write full request URLs,
/// query string included, at Debug level).
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, SecretRedactor redactor) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every registered provider with its redacting wrapper; call after all providers are added.</summary>
    public static void WrapAll(IServiceCollection services, IConfiguration configuration)
    {
        var redactor = SecretRedactor.FromConfiguration(configuration);
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, descriptor), redactor));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ILoggerProvider
        ?? (ILoggerProvider?)descriptor.ImplementationFactory?.Invoke(services)
        ?? (ILoggerProvider)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = redactor.Redact(formatter(state, exception));
            var redacted = new RedactedState(message, state as IReadOnlyList<KeyValuePair<string, object?>>, redactor);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The state a provider sees: the redacted message and the structured values, strings redacted.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>>? values, SecretRedactor redactor)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values?.Count ?? 0;

        public KeyValuePair<string, object?> this[int index]
        {
            get
            {
                var pair = values![index];
                return pair.Key == "{OriginalFormat}" || pair.Value is not (string or Uri or PathString or QueryString)
                    ? pair
                    : new KeyValuePair<string, object?>(pair.Key, redactor.Redact(pair.Value.ToString() ?? string.Empty));
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
