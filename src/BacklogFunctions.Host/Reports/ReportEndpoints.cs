using System.Globalization;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Reports;
using BacklogFunctions.Storage;
using BacklogFunctions.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// Published reports: the list, one report's manifest with short-lived read-only download links, and rendering on
/// demand. All need a read key, like the other read endpoints, or the report page's session (requests that change
/// state then also need a same-origin signal). The page itself is in <see cref="ReportPageEndpoints"/>.
/// </summary>
internal static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports", ListAsync).AddEndpointFilter<KeyOrPageSessionFilter>();
        app.MapGet("/api/reports/{period}", GetAsync).AddEndpointFilter<KeyOrPageSessionFilter>();
        app.MapPost("/api/reports/{period}/render", RenderAsync).AddEndpointFilter<KeyOrPageSessionFilter>();
        app.MapReportPageEndpoints();
    }

    private static async Task<IResult> ListAsync(IReportStore reports, CancellationToken cancellationToken)
    {
        var published = await reports.ListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(new
        {
            reports = published.GroupBy(r => r.Period).Select(g => new
            {
                period = g.Key.ToString(),
                versions = g.Select(r => r.Version).Order(),
                latest = g.Max(r => r.Version),
            }),
        });
    }

    private static async Task<IResult> GetAsync(string period, [FromQuery(Name = "version")] string? versionText, IReportStore reports, ISnapshotQueries snapshots, IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var parsed, out var problem) || !QueryValues.TryVersion(versionText, out var version, out problem))
        {
            return problem!;
        }

        var wanted = version ?? (await reports.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Period == parsed).Select(r => (int?)r.Version).Max();
        var manifest = wanted is { } v ? await reports.ReadManifestAsync(parsed, v, cancellationToken).ConfigureAwait(false) : null;
        if (manifest is null)
        {
            var closed = await snapshots.FindClosedAsync(parsed, cancellationToken).ConfigureAwait(false);
            return Results.Problem(
                title: "No report",
                detail: closed is null ? $"{parsed} is not closed" : $"the report of {parsed}{(version is null ? string.Empty : $" v{version}")} is not published yet; POST /api/reports/{parsed}/render renders it now",
                statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Json(await DescribeAsync(manifest, reports, options.Value, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<IResult> RenderAsync(string period, [FromQuery(Name = "version")] string? versionText, ReportRenderer renderer, ISnapshotQueries snapshots, IReportStore reports, IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryPeriod(period, out var parsed, out var problem) || !QueryValues.TryVersion(versionText, out var version, out problem))
        {
            return problem!;
        }

        var closed = version is null
            ? await snapshots.FindClosedAsync(parsed, cancellationToken).ConfigureAwait(false)
            : (await snapshots.ListVersionsAsync(parsed, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Version == version);
        var manifest = closed is null ? null : await renderer.RenderAsync(parsed, closed.Version, cancellationToken).ConfigureAwait(false);
        return manifest is null
            ? Results.Problem(title: "Period not closed", detail: $"{parsed}{(version is null ? string.Empty : $" v{version}")} is not closed; only closed versions have reports", statusCode: StatusCodes.Status404NotFound)
            : Results.Json(await DescribeAsync(manifest, reports, options.Value, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<object> DescribeAsync(ReportManifest manifest, IReportStore reports, ReportsOptions options, CancellationToken cancellationToken)
    {
        var period = Period.Parse(manifest.Period);
        var links = await reports.LinksAsync(period, manifest.Version, manifest.Files.Select(f => f.Name), TimeSpan.FromMinutes(options.LinkMinutes), cancellationToken).ConfigureAwait(false);
        return new
        {
            period = manifest.Period,
            version = manifest.Version,
            closedAt = manifest.ClosedAt,
            generatedAt = manifest.GeneratedAt,
            snapshotSha256 = manifest.SnapshotSha256,
            linksExpireAt = links.Count > 0 ? links[0].ExpiresOn : (DateTimeOffset?)null,
            files = manifest.Files.Select(f => new
            {
                name = f.Name,
                contentType = f.ContentType,
                bytes = f.Bytes,
                sha256 = f.Sha256,
                url = links.Single(l => l.Name == f.Name).Url.ToString(),
            }),
        };
    }

    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
