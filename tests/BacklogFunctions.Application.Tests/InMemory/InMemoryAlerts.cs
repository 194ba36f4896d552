using System.Collections.Concurrent;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;

namespace BacklogFunctions.Application.Tests.InMemory;

/// <summary>The target store in memory: every upload the next version, read back whole.</summary>
public sealed class InMemoryTargetStore : ITargetStore
{
    private readonly List<TargetVersion> _versions = [];

    public Task<int> AppendAsync(IReadOnlyList<Target> targets, DateTimeOffset uploadedAt, CancellationToken cancellationToken)
    {
        lock (_versions)
        {
            _versions.Add(new TargetVersion(_versions.Count + 1, uploadedAt, [.. targets]));
            return Task.FromResult(_versions.Count);
        }
    }

    public Task<TargetVersion?> ReadAsync(int? version, CancellationToken cancellationToken)
    {
        lock (_versions)
        {
            return Task.FromResult(version is { } v ? _versions.FirstOrDefault(t => t.Version == v) : _versions.LastOrDefault());
        }
    }
}

/// <summary>The alert outbox in memory: every notice handed over, in order.</summary>
public sealed class InMemoryAlertOutbox : IAlertOutbox
{
    public ConcurrentQueue<AlertNotice> Sent { get; } = new();

    public Task SendAsync(IReadOnlyList<AlertNotice> notices, CancellationToken cancellationToken)
    {
        foreach (var notice in notices)
        {
            Sent.Enqueue(notice);
        }

        return Task.CompletedTask;
    }
}
