using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Testing;
using UglyToad.PdfPig;

namespace BacklogFunctions.Reports.Tests;

/// <summary>The board pack read back with PdfPig: the figures printed are the stored figures.</summary>
public class BoardPackTests
{
    private static readonly Period October = new(2025, 10);
    private static readonly Lazy<(ReportInput Input, byte[] Pdf, IReadOnlyList<ReportFile> Csv)> Rendered = new(() =>
    {
        var input = SampleReports.Input(120, 22, 31, October);
        var csv = ReportCsv.Render(input);
        return (input, new BoardPack(SampleReports.Fonts).Render(input, csv), csv);
    });

    [Fact]
    public void The_summary_page_shows_each_currencys_headline_figures_against_the_prior_month_and_last_year()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var words = document.GetPage(1).GetWords().Select(w => w.Text).ToList();
        var text = string.Join(" ", words);

        Assert.Contains("October 2025", text, StringComparison.Ordinal);
        Assert.True(input.Snapshot.Totals.Count >= 3, "the sample has several currencies");
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var prior = ReportInput.TotalsOf(input.Earlier(October.Previous), c)!.Figures;
            var lastYear = ReportInput.TotalsOf(input.Earlier(October.AddMonths(-12)), c)!.Figures;
            Assert.Contains(c.Code, words);
            foreach (var amount in new[] { total.Figures.Backlog, total.Figures.DeferredRevenue, total.Figures.Revenue, total.Figures.Bookings, total.Figures.Billings, prior.Backlog, lastYear.Backlog })
            {
                Assert.Contains(FinanceFormat.Money(amount, c), words);
            }

            Assert.Contains(FinanceFormat.Ratio(total.Figures.BacklogRatio), words);
        }
    }

    [Fact]
    public void Each_currency_has_its_roll_forwards_printed_line_by_line_and_they_tie()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var page = document.GetPages().First(p => p.GetWords().Any(w => w.Text == "roll-forward") && p.GetWords().Any(w => w.Text == c.Code));
            var words = page.GetWords().Select(w => w.Text).ToList();
            foreach (var line in RollForward.Backlog(total.Figures).Concat(RollForward.NetContractPosition(total.Figures, input.Snapshot.Options)))
            {
                Assert.Contains(FinanceFormat.Money(line.Amount, c), words);
            }

            Assert.Equal(0m, total.Figures.BacklogRollForwardDifference);
            Assert.Contains("Prior-period", words);
        }
    }

    [Fact]
    public void The_tie_out_page_reconciles_every_total_to_the_csv_and_the_stored_snapshot_with_file_hashes()
    {
        var (input, pdf, csv) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).ToList();
        Assert.NotEmpty(tieOut);
        var words = tieOut.SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();

        Assert.DoesNotContain("NO", words);
        Assert.DoesNotContain("missing", words);
        var csvTotals = CsvTotals.OfContracts(csv.Single(f => f.Name == ReportCsv.ContractsFile).Content);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var column in FigureColumns.All)
            {
                Assert.Equal(column.Value(total.Figures), csvTotals[total.Currency.Code][column.Name]);
            }

            Assert.Contains(FinanceFormat.Money(total.Figures.Backlog, total.Currency), words);
        }

        Assert.Equal(input.Snapshot.Totals.Count * FigureColumns.All.Count, words.Count(w => w == "yes"));
        foreach (var file in csv)
        {
            Assert.Contains(file.Sha256, words);
        }

        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input.SnapshotDocument)), words);
    }

    [Fact]
    public void Chart_pages_have_titles_and_axis_labels_and_the_metadata_is_set()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var currencies = input.Snapshot.Totals.Count;

        // Summary, then statements and charts per currency, then the tie-out (pages may continue).
        Assert.True(document.NumberOfPages >= 2 + (2 * currencies), $"{document.NumberOfPages} pages");
        foreach (var total in input.Snapshot.Totals)
        {
            var chartPage = document.GetPages().Single(p => p.Text.Contains($"{total.Currency.Code} — trends", StringComparison.Ordinal) || p.GetWords().Select(w => w.Text).Contains("trends,") && p.GetWords().Any(w => w.Text == total.Currency.Code));
            var words = chartPage.GetWords().Select(w => w.Text).ToList();
            Assert.Contains("Month", words);
            Assert.Contains("Bookings", words);
            Assert.Contains("waterfall:", words);
            Assert.Contains("maturity", words);
        }

        var info = document.Information;
        Assert.Equal($"Backlog board pack {October} (version 1)", info.Title);
        Assert.Equal("BacklogFunctions", info.Author);
        Assert.Equal("BacklogFunctions month-end close", info.Creator);
        Assert.StartsWith("D:20251101020700", info.CreationDate, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pack_is_kept_under_the_test_output_for_a_look()
    {
        var (_, pdf, _) = Rendered.Value;
        var path = Path.Combine(AppContext.BaseDirectory, "board-pack-sample.pdf");
        File.WriteAllBytes(path, pdf);
        Assert.True(new FileInfo(path).Length > 10_000);
    }

    [Fact]
    public void The_same_snapshot_renders_the_same_bytes()
    {
        var (input, pdf, csv) = Rendered.Value;
        Assert.Equal(pdf, new BoardPack(SampleReports.Fonts).Render(input, csv));
    }

    [Fact]
    public void A_missing_or_empty_font_fails_loudly_instead_of_drawing_no_text()
    {
        var empty = Directory.CreateTempSubdirectory("fonts-").FullName;
        try
        {
            var missing = Assert.Throws<InvalidOperationException>(() => ReportFonts.Load(empty));
            Assert.Contains(ReportFonts.RegularFile, missing.Message, StringComparison.Ordinal);

            File.WriteAllBytes(Path.Combine(empty, ReportFonts.RegularFile), []);
            File.WriteAllBytes(Path.Combine(empty, ReportFonts.BoldFile), []);
            Assert.Throws<InvalidOperationException>(() => ReportFonts.Load(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void The_pack_draws_its_text_with_the_font_the_build_provides()
    {
        var (_, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var letters = document.GetPages().SelectMany(p => p.Letters).ToList();
        Assert.True(letters.Count > 2000, $"{letters.Count} letters");
        Assert.All(letters.Select(l => l.FontName).Distinct(), f => Assert.Contains("Liberation", f, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "fonts", ReportFonts.RegularFile)), "the build copies the font next to the program");
        _ = Repository.Root;
    }
}
