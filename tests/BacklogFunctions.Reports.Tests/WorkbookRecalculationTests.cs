using System.Diagnostics;
using System.Globalization;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BacklogFunctions.Reports.Tests;

/// <summary>Runs only where LibreOffice is installed (<c>scripts/install-tools.sh --libreoffice</c>).</summary>
public sealed class LibreOfficeFactAttribute : FactAttribute
{
    public LibreOfficeFactAttribute()
    {
        if (WorkbookRecalculationTests.Soffice() is null)
        {
            Skip = "soffice is not on PATH: run scripts/install-tools.sh --libreoffice (Debian's libreoffice-calc-nogui) to recalculate the workbook with LibreOffice";
        }
    }
}

/// <summary>
/// The formulas are right, not only their cached values: every cached value is overwritten with nonsense, LibreOffice
/// (set to always recalculate on load) recalculates the workbook headless and exports each sheet as CSV, and the
/// recalculated totals, checks and differences must be the snapshot's.
/// </summary>
[Trait("Category", "LibreOffice")]
public sealed class WorkbookRecalculationTests
{
    private static readonly Period October = new(2026, 10);

    [LibreOfficeFact]
    public void LibreOffice_recalculates_the_totals_of_the_snapshot()
    {
        var input = SampleReports.Input(80, 20, 3, October);
        var folder = Directory.CreateTempSubdirectory("workbook-recalc-");
        try
        {
            var file = Path.Combine(folder.FullName, "workbook.xlsx");
            File.WriteAllBytes(file, Poisoned(new Workbook().Render(input)));
            var sheets = Recalculate(file, folder.FullName);

            var contracts = sheets[Workbook.ContractsSheet];
            var header = contracts.FindIndex(r => r.Length > 2 && r[2] == "contractId");
            foreach (var total in input.Snapshot.Totals)
            {
                var row = contracts.Single(r => r[0] == "total" && r[3] == total.Currency.Code);
                foreach (var figure in FigureColumns.All)
                {
                    var recalculated = Math.Round(decimal.Parse(row[contracts[header].ToList().IndexOf(figure.Name)], NumberStyles.Float, CultureInfo.InvariantCulture), total.Currency.MinorUnit);
                    Assert.True(total.Currency.Round(figure.Value(total.Figures)) == recalculated, $"{total.Currency.Code} {figure.Name}: {recalculated} recalculated, {figure.Value(total.Figures)} stored");
                }
            }

            var ties = sheets[Workbook.SummarySheet].Where(r => r.Length >= 10 && r[1].Length > 0 && r[9].Length > 0).Skip(1).ToList();
            Assert.Equal(input.Snapshot.Totals.Count * 16, ties.Count);
            Assert.All(ties, r => Assert.Equal("TRUE", r[9]));
            var differences = sheets[Workbook.RollForwardsSheet].Where(r => r.Length >= 5 && r[2] == "difference").ToList();
            Assert.Equal(input.Snapshot.Totals.Count * 2, differences.Count);
            Assert.All(differences, r => Assert.Equal(0m, decimal.Parse(r[4], NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The path of soffice on PATH, or null.</summary>
    public static string? Soffice() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "soffice")).FirstOrDefault(File.Exists);

    /// <summary>Every formula's cached value replaced, so only a recalculation can give the right numbers.</summary>
    private static byte[] Poisoned(byte[] workbook)
    {
        using var buffer = new MemoryStream();
        buffer.Write(workbook);
        using (var document = SpreadsheetDocument.Open(buffer, isEditable: true))
        {
            foreach (var part in document.WorkbookPart!.WorksheetParts)
            {
                foreach (var cell in part.Worksheet!.Descendants<Cell>().Where(c => c.CellFormula is not null))
                {
                    cell.CellValue = new CellValue(cell.DataType?.Value == CellValues.Boolean ? "0" : "999999");
                }

                part.Worksheet.Save();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Each sheet's rows as LibreOffice exports them after recalculating (raw values, not as shown).</summary>
    private static Dictionary<string, List<string[]>> Recalculate(string file, string folder)
    {
        var profile = Path.Combine(folder, "profile");
        Directory.CreateDirectory(Path.Combine(profile, "user"));
        File.WriteAllText(Path.Combine(profile, "user", "registrymodifications.xcu"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
            </oor:items>
            """);
        var start = new ProcessStartInfo(Soffice()!)
        {
            ArgumentList = { "--headless", "--norestore", $"-env:UserInstallation={new Uri(profile).AbsoluteUri}", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1", "--outdir", folder, file },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var soffice = Process.Start(start)!;
        var output = soffice.StandardOutput.ReadToEndAsync();
        var errors = soffice.StandardError.ReadToEndAsync();
        Assert.True(soffice.WaitForExit(TimeSpan.FromMinutes(3)), "soffice did not finish in 3 minutes");
        Assert.True(soffice.ExitCode == 0, $"soffice exited with {soffice.ExitCode}: {errors.Result} {output.Result}");

        var name = Path.GetFileNameWithoutExtension(file);
        return Directory.GetFiles(folder, $"{name}-*.csv").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f)[(name.Length + 1)..],
            f => File.ReadAllLines(f).Select(Fields).ToList());
    }

    /// <summary>The fields of a CSV line of LibreOffice's export (quotes doubled inside quoted fields).</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
