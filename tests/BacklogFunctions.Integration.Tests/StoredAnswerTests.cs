using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The API's answers about what b427848 stored (<c>tests/fixtures/stored-b427848</c>), byte for byte as the program
/// answered them before its stored documents were typed (<c>answers/</c>). BACKLOG_UPDATE_GOLDEN=1 rewrites them.
/// </summary>
public sealed class StoredAnswerTests(StoredAnswerTests.StoredPeriodsHost stored) : IClassFixture<StoredAnswerTests.StoredPeriodsHost>
{
    private static readonly string Answers = Path.Combine(StoredShapeTests.Fixtures, "answers");

    [Theory]
    [InlineData("/api/periods", "periods.json", "application/json; charset=utf-8")]
    [InlineData("/api/periods/2024-04/snapshot", "snapshot-2024-04.json", "application/json; charset=utf-8")]
    [InlineData("/api/periods/2024-05/snapshot", "snapshot-2024-05.json", "application/json; charset=utf-8")]
    [InlineData("/api/periods/2024-05/snapshot?version=1", "snapshot-2024-05-v1.json", "application/json; charset=utf-8")]
    [InlineData("/api/periods/2024-05/snapshot?contract=C-000003", "snapshot-2024-05-C-000003.json", "application/json")]
    public async Task The_answers_about_stored_periods_are_unchanged(string path, string file, string contentType)
    {
        using var response = await stored.Host.GetWithKeyAsync(path);
        var answer = await response.Content.ReadAsByteArrayAsync();
        var golden = Path.Combine(Answers, file);
        if (Environment.GetEnvironmentVariable("BACKLOG_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Answers);
            await File.WriteAllBytesAsync(golden, answer);
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(await File.ReadAllTextAsync(golden), System.Text.Encoding.UTF8.GetString(answer));
    }

    /// <summary>The program on an Azurite that holds the fixtures.</summary>
    public sealed class StoredPeriodsHost : IAsyncLifetime
    {
        public BacklogHostFixture Host { get; } = new();

        public async Task InitializeAsync()
        {
            await Host.InitializeAsync();
            await StoredShapeTests.LoadAsync(new TableServiceClient(Host.Azurite.ConnectionString), new BlobServiceClient(Host.Azurite.ConnectionString));
        }

        public Task DisposeAsync() => Host.DisposeAsync();
    }
}
