using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Reports;

namespace BacklogFunctions.Host.Reports;

/// <summary>What became of a report request: the published manifest, or why nothing can be rendered; and the line to log.</summary>
public sealed record ReportRequestResult(ReportManifest? Manifest, string Log)
{
    public bool Rendered => Manifest is not null;

    public static ReportRequestResult Refused(string reason) => new(null, reason);
}

/// <summary>
/// A <c>report-requests</c> message (<c>{"period":"2026-10","version":1}</c>, sent by the close for every closed
/// version) rendered into a published report. A message that names no closed version cannot succeed: it is
/// reported as invalid, never retried into a report of something else.
/// </summary>
public sealed partial class ReportRequests(ReportRenderer renderer, ILogger<ReportRequests> logger)
{
    /// <summary>The manifest, or none with the reason when the message is not a request for a closed version.</summary>
    public async Task<ReportRequestResult> HandleAsync(string body, CancellationToken cancellationToken)
    {
        if (!QueueMessages.TryRead(body, out ReportRequestMessage? request, out var error))
        {
            return ReportRequestResult.Refused($"not a report request ({error}): expected {{\"period\":\"yyyy-MM\",\"version\":n}}");
        }

        var (period, version) = (request!.Period, request.Version);

        var manifest = await renderer.RenderAsync(period, version, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return ReportRequestResult.Refused($"no closed version {version} of {period} to render");
        }

        LogRendered(logger, manifest.Period, manifest.Version, manifest.Files.Count);
        return new ReportRequestResult(manifest, $"rendered {period} v{version}: {string.Join(", ", manifest.Files.Select(f => f.Name))}");
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Report of {Period} v{Version} published: {Files} files")]
    private static partial void LogRendered(ILogger logger, string period, int version, int files);
}
