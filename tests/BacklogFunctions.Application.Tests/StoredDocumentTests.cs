using System.Text;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Reports;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// The documents and messages as the code at b427848 stored them (<c>tests/fixtures/stored-b427848</c>) read into
/// the typed forms, and the typed forms write them again byte for byte.
/// </summary>
public sealed class StoredDocumentTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "stored-b427848");

    [Fact]
    public void A_stored_manifest_reads_and_writes_the_same_bytes()
    {
        var stored = File.ReadAllBytes(Path.Combine(Fixtures, "reports", "2024-05", "v0002", ReportManifest.FileName));

        var manifest = ReportManifest.FromJson(stored);

        Assert.NotNull(manifest);
        Assert.Equal(("2024-05", 2, 2), (manifest.Period, manifest.Version, manifest.Files.Count));
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 9, 31, 12, 345, TimeSpan.Zero), manifest.GeneratedAt);
        Assert.Equal(new ManifestFile("board-pack.pdf", "application/pdf", 123456, new string('b', 64)), manifest.Files[0]);
        Assert.Equal(Encoding.UTF8.GetString(stored), Encoding.UTF8.GetString(manifest.ToJson()));
    }

    [Fact]
    public void Queued_messages_read_and_write_the_same_bodies()
    {
        foreach (var body in File.ReadAllLines(Path.Combine(Fixtures, "close-shards.messages")))
        {
            Assert.True(QueueMessages.TryRead(body, out CloseShardMessage? message, out var error), error);
            Assert.Equal(body, QueueMessages.Write(message!));
        }

        foreach (var body in File.ReadAllLines(Path.Combine(Fixtures, "report-requests.messages")))
        {
            Assert.True(QueueMessages.TryRead(body, out ReportRequestMessage? message, out var error), error);
            Assert.Equal(body, QueueMessages.Write(message!));
        }
    }
}
