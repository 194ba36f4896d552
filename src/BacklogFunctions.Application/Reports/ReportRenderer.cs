using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Reports;

/// <summary>A read-only download link and when it stops working.</summary>
public sealed record ReportLink(string Name, Uri Url, DateTimeOffset ExpiresOn);

/// <summary>Published reports: files under <c>{period}/v{version}/</c>, the manifest written last.</summary>
public interface IReportStore
{
    Task WriteFileAsync(Period period, int version, ReportFile file, CancellationToken cancellationToken);

    /// <summary>Publishes the report: called only after every file of the manifest is written.</summary>
    Task WriteManifestAsync(ReportManifest manifest, CancellationToken cancellationToken);

    Task<ReportManifest?> ReadManifestAsync(Period period, int version, CancellationToken cancellationToken);

    /// <summary>Every published report (period, version), oldest first.</summary>
    Task<IReadOnlyList<(Period Period, int Version)>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A read-only link to each named file of a published version, valid for <paramref name="lifetime"/>.</summary>
    Task<IReadOnlyList<ReportLink>> LinksAsync(Period period, int version, IEnumerable<string> names, TimeSpan lifetime, CancellationToken cancellationToken);
}

/// <summary>Draws the board pack (PDF) of a report from its input and the CSV files it reconciles to.</summary>
public interface IBoardPackRenderer
{
    /// <summary>The PDF's bytes: the same input and files always give the same bytes.</summary>
    byte[] Render(ReportInput input, IReadOnlyList<ReportFile> csvFiles);
}

/// <summary>Writes the finance workbook (xlsx) of a report: every report table in one file, with totals as formulas that tie.</summary>
public interface IWorkbookRenderer
{
    /// <summary>The workbook's bytes: the same input always gives the same bytes.</summary>
    byte[] Render(ReportInput input);
}

/// <summary>
/// Renders the report of a closed period version from what the close stored — CSV files, the board pack that
/// reconciles to them and the workbook — writes every file, and publishes the manifest last. Rendering the same
/// version again writes the same files.
/// </summary>
public sealed class ReportRenderer(ISnapshotQueries snapshots, IReportStore reports, IBoardPackRenderer pack, IWorkbookRenderer workbook, TimeProvider clock, CloseSettings? settings = null, Journal.JournalAccounts? accounts = null, Alerts.ITargetStore? targets = null)
{
    /// <summary>How many earlier months the pack compares with and charts (13 months in all).</summary>
    public const int EarlierMonths = 12;

    /// <summary>The board pack's file name in every report version.</summary>
    public const string BoardPackFile = "board-pack.pdf";

    /// <summary>The workbook's file name in every report version.</summary>
    public const string WorkbookFile = "workbook.xlsx";

    public const string WorkbookContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Null when that version of the period is not closed.</summary>
    public async Task<ReportManifest?> RenderAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var input = await LoadAsync(period, version, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            return null;
        }

        var files = Render(input);
        foreach (var file in files)
        {
            await reports.WriteFileAsync(period, version, file, cancellationToken).ConfigureAwait(false);
        }

        var manifest = new ReportManifest(
            period.ToString(),
            version,
            input.ClosedAt,
            clock.GetUtcNow(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input.SnapshotDocument)),
            files.Select(f => new ManifestFile(f.Name, f.ContentType, f.Content.Length, f.Sha256)).ToList());
        await reports.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>The files of a report: the board pack first, then the workbook, then the CSV files the pack reconciles to.</summary>
    public IReadOnlyList<ReportFile> Render(ReportInput input)
    {
        var csv = ReportCsv.Render(input);
        return
        [
            new ReportFile(BoardPackFile, "application/pdf", pack.Render(input, csv)),
            new ReportFile(WorkbookFile, WorkbookContentType, workbook.Render(input)),
            .. csv,
        ];
    }

    public async Task<ReportInput?> LoadAsync(Period period, int version, CancellationToken cancellationToken)
    {
        var closed = (await snapshots.ListVersionsAsync(period, cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version);
        if (closed is null || await snapshots.ReadSnapshotDocumentAsync(period, version, cancellationToken).ConfigureAwait(false) is not { } document)
        {
            return null;
        }

        var contracts = snapshots.ReadContractSnapshotsAsync(period, version, cancellationToken);
        var earlier = new List<Snapshot>();
        var closedPeriods = (await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Period);
        for (var back = 1; back <= EarlierMonths; back++)
        {
            if (closedPeriods.TryGetValue(period.AddMonths(-back), out var before) &&
                await snapshots.ReadSnapshotDocumentAsync(before.Period, before.Version, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                earlier.Add(stored.Document.ToSnapshot());
            }
        }

        var rows = await contracts.ConfigureAwait(false);
        return new ReportInput(period, version, closed.ClosedAt, document.Document.ToSnapshot(), document.Bytes, rows, earlier, settings?.FiscalYearStartMonth ?? 1)
        {
            Journal = await new Journal.PeriodJournals(snapshots).OfAsync(closed, rows, Journal.JournalDetail.Contract, cancellationToken).ConfigureAwait(false),
            JournalAccounts = accounts ?? Journal.JournalAccounts.Default,
            Plan = document.Document.TargetsVersion is { } targetsVersion && targets is not null
                ? await targets.ReadAsync(targetsVersion, cancellationToken).ConfigureAwait(false)
                : null,
        };
    }
}
