using System.Collections.Concurrent;
using BacklogFunctions.Application.Close;

namespace BacklogFunctions.Application.Tests.InMemory;

/// <summary>The close-shards queue in memory: what was sent, in order, for the test to deliver (or lose, or repeat).</summary>
public sealed class InMemoryShardQueue : ICloseShardQueue
{
    public ConcurrentQueue<CloseShardMessage> Sent { get; } = new();

    public Task SendAsync(IReadOnlyList<CloseShardMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            Sent.Enqueue(message);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The report-requests queue in memory.</summary>
public sealed class InMemoryReportRequests : IReportRequests
{
    public ConcurrentQueue<ClosedPeriod> Requested { get; } = new();

    public Task RequestAsync(ClosedPeriod closed, CancellationToken cancellationToken)
    {
        Requested.Enqueue(closed);
        return Task.CompletedTask;
    }
}
