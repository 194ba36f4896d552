using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Application.Reports;

namespace BacklogFunctions.Storage;

/// <summary>
/// Published reports in Blob storage: <c>reports/{period}/v{version}/{file}</c>, with <c>manifest.json</c>
/// written last. Downloads go straight to storage through read-only links for one blob that expire within
/// minutes: a user-delegation SAS when the program signs in with an identity (Azure), a shared-key SAS when it
/// holds the account key (Azurite, connection strings).
/// </summary>
public sealed class BlobReportStore(BlobServiceClient blobs, TimeProvider clock) : IReportStore
{
    public const string ContainerName = "reports";

    /// <summary>Links start a few minutes early, so a clock slightly behind the service's still accepts them.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(ContainerName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);

    public static string PathOf(Period period, int version, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{period}/v{version:0000}/{name}");

    public async Task WriteFileAsync(Period period, int version, ReportFile file, CancellationToken cancellationToken)
    {
        var headers = new BlobHttpHeaders
        {
            ContentType = file.ContentType,
            ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"backlog-{period}-v{version}-{file.Name}\""),
        };
        await _container.GetBlobClient(PathOf(period, version, file.Name))
            .UploadAsync(BinaryData.FromBytes(file.Content), new BlobUploadOptions { HttpHeaders = headers }, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteManifestAsync(ReportManifest manifest, CancellationToken cancellationToken)
    {
        var path = PathOf(Period.Parse(manifest.Period), manifest.Version, ReportManifest.FileName);
        await _container.GetBlobClient(path).UploadAsync(
            BinaryData.FromBytes(manifest.ToJson()),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReportManifest?> ReadManifestAsync(Period period, int version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(PathOf(period, version, ReportManifest.FileName)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return ReportManifest.FromJson(content.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<(Period Period, int Version)>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<(Period, int)>();
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
        {
            var parts = blob.Name.Split('/');
            if (parts is [var p, var v, ReportManifest.FileName] && Period.TryParse(p, out var period) &&
                v.StartsWith('v') && int.TryParse(v.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                result.Add((period, version));
            }
        }

        return result.OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList();
    }

    /// <summary>Read-only links to files of a report, valid for <paramref name="lifetime"/> from now.</summary>
    public async Task<IReadOnlyList<ReportLink>> LinksAsync(Period period, int version, IEnumerable<string> names, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        UserDelegationKey? key = null;
        var links = new List<ReportLink>();
        foreach (var name in names)
        {
            var blob = _container.GetBlobClient(PathOf(period, version, name));
            var sas = new BlobSasBuilder(BlobSasPermissions.Read, expires)
            {
                BlobContainerName = _container.Name,
                BlobName = blob.Name,
                Resource = "b",
                StartsOn = now - ClockSkew,
                Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
            };
            Uri url;
            if (blob.CanGenerateSasUri)
            {
                url = blob.GenerateSasUri(sas);
            }
            else
            {
                key ??= (await blobs.GetUserDelegationKeyAsync(now - ClockSkew, expires, cancellationToken).ConfigureAwait(false)).Value;
                url = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blobs.AccountName) }.ToUri();
            }

            links.Add(new ReportLink(name, url, expires));
        }

        return links;
    }
}
