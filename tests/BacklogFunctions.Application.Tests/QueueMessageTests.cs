using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests;

/// <summary>The contracts of the program's own queues: what one side writes, the other reads; anything else is named.</summary>
public sealed class QueueMessageTests
{
    [Theory]
    [InlineData(2026, 10, 1, 0, 1)]
    [InlineData(2025, 1, 3, 15, 16)]
    public void A_close_shard_message_reads_back_as_written(int year, int month, int version, int shard, int shards)
    {
        var message = new CloseShardMessage(new Period(year, month), version, shard, shards);

        Assert.True(QueueMessages.TryRead(QueueMessages.Write(message), out CloseShardMessage? read, out var error), error);
        Assert.Equal(message, read);
    }

    [Fact]
    public void A_close_shard_message_carries_the_senders_trace_context_and_reads_without_one()
    {
        var message = new CloseShardMessage(new Period(2026, 10), 1, 2, 4);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Assert.Equal($$"""{"period":"2026-10","version":1,"shard":2,"shards":4,"traceParent":"{{traceParent}}"}""", QueueMessages.Write(message, traceParent));
        Assert.True(QueueMessages.TryRead(QueueMessages.Write(message, traceParent), out CloseShardMessage? read, out var readParent, out var error), error);
        Assert.Equal((message, traceParent), (read, readParent));

        // A message written before trace context (or by a sender outside any trace) reads as before.
        Assert.Equal("""{"period":"2026-10","version":1,"shard":2,"shards":4}""", QueueMessages.Write(message));
        Assert.True(QueueMessages.TryRead(QueueMessages.Write(message), out read, out readParent, out error), error);
        Assert.Equal((message, (string?)null), (read, readParent));
    }

    [Fact]
    public void A_report_request_reads_back_as_written()
    {
        var message = new ReportRequestMessage(new Period(2026, 10), 2);

        Assert.True(QueueMessages.TryRead(QueueMessages.Write(message), out ReportRequestMessage? read, out var error), error);
        Assert.Equal(message, read);
        Assert.Equal("""{"period":"2026-10","version":2}""", QueueMessages.Write(message));
    }

    [Fact]
    public void A_report_request_carries_the_senders_trace_context_and_reads_without_one()
    {
        var message = new ReportRequestMessage(new Period(2026, 10), 2);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Assert.Equal($$"""{"period":"2026-10","version":2,"traceParent":"{{traceParent}}"}""", QueueMessages.Write(message, traceParent));
        Assert.True(QueueMessages.TryRead(QueueMessages.Write(message, traceParent), out ReportRequestMessage? read, out var readParent, out var error), error);
        Assert.Equal((message, traceParent), (read, readParent));
        Assert.True(QueueMessages.TryRead("""{"period":"2026-10","version":2}""", out read, out readParent, out error), error);
        Assert.Equal((message, (string?)null), (read, readParent));
    }

    [Theory]
    [InlineData("", "not JSON")]
    [InlineData("[]", "is a JSON object")]
    [InlineData("""{"version":1,"shard":0,"shards":1}""", "period")]
    [InlineData("""{"period":"2026-13","version":1,"shard":0,"shards":1}""", "period")]
    [InlineData("""{"period":"2026-1\ud800","version":1,"shard":0,"shards":1}""", "period")]
    [InlineData("""{"period":"2026-10","version":0,"shard":0,"shards":1}""", "version")]
    [InlineData("""{"period":"2026-10","version":"1","shard":0,"shards":1}""", "version")]
    [InlineData("""{"period":"2026-10","version":1,"shard":0,"shards":17}""", "shards")]
    [InlineData("""{"period":"2026-10","version":1,"shard":4,"shards":4}""", "shard")]
    [InlineData("""{"period":"2026-10","version":1,"shard":-1,"shards":4}""", "shard")]
    [InlineData("""{"period":"2026-10","version":1.5,"shard":0,"shards":4}""", "version")]
    public void A_close_shard_message_that_is_not_one_names_what_is_wrong(string body, string named)
    {
        Assert.False(QueueMessages.TryRead(body, out CloseShardMessage? message, out var error));
        Assert.Null(message);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage", "not JSON")]
    [InlineData("\"\\ud800\"", "is a JSON object")]
    [InlineData("""{"period":"2026-10"}""", "version")]
    [InlineData("""{"period":"2026-10","version":1e400}""", "version")]
    [InlineData("""{"period":10,"version":1}""", "period")]
    [InlineData("""{"period":"2026-10","version":null}""", "version")]
    public void A_report_request_that_is_not_one_names_what_is_wrong(string body, string named)
    {
        Assert.False(QueueMessages.TryRead(body, out ReportRequestMessage? message, out var error));
        Assert.Null(message);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
