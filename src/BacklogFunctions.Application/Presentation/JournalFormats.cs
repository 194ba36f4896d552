using System.Text.Json;
using System.Text.Json.Serialization;
using BacklogFunctions.Application.Journal;
using BacklogFunctions.Domain.Journal;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using CsvHelper;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// A journal as JSON (journal.md, "Names"): <c>{"period", "detail", "lines": [{"currency", "account", "debit",
/// "credit", "memo", "contractId"}]}</c>, money as strings with the currency's digits, one of debit and credit zero
/// on each line. At the contract detail level each line also carries the customer and segment dimensions.
/// </summary>
public sealed record JournalDocument(string Period, int? Version, string Detail, IReadOnlyList<JournalLineDocument> Lines)
{
    public static JournalDocument From(PeriodJournal journal, JournalAccounts accounts) => new(
        journal.Period.ToString(),
        journal.Version > 0 ? journal.Version : null,
        DetailName(journal.Detail),
        [.. journal.Lines.Select(l => JournalLineDocument.From(l, journal.Period, accounts))]);

    public static string DetailName(JournalDetail detail) => detail == JournalDetail.Contract ? "contract" : "summary";
}

public sealed record JournalLineDocument(
    string Currency,
    string Account,
    string Entry,
    string Debit,
    string Credit,
    string Memo,
    bool PriorPeriodAdjustment,
    string? ContractId,
    string? CustomerId,
    string? CustomerSegment,
    string? Region,
    string? SalesOwner)
{
    public static JournalLineDocument From(JournalLine line, Period period, JournalAccounts accounts)
    {
        var c = line.Currency;
        var contract = line.Contract;
        return new JournalLineDocument(
            c.Code,
            accounts.NameOf(line.Account),
            JournalFormats.EntryName(line.Entry),
            c.Format(line.Debit),
            c.Format(line.Credit),
            Domain.Journal.Journal.Memo(line, period),
            line.PriorPeriod,
            contract?.ContractId,
            contract?.Customer.Id,
            contract?.Customer.Segment,
            contract?.Customer.Region,
            contract?.SalesOwner);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(JournalDocument))]
public sealed partial class JournalJsonContext : JsonSerializerContext;

/// <summary>A journal as JSON, CSV (<c>journal.csv</c> / <c>journal-detail.csv</c> columns) and a table.</summary>
public static class JournalFormats
{
    public static IReadOnlyList<string> SummaryColumns { get; } = ["period", "version", "currency", "account", "entry", "debit", "credit", "memo"];

    public static IReadOnlyList<string> DetailColumns { get; } =
        ["period", "version", "currency", "account", "entry", "debit", "credit", "memo", "contractId", "customerId", "customerName", "customerSegment", "region", "salesOwner"];

    public static string EntryName(JournalEntry entry) => entry switch
    {
        JournalEntry.Billings => "billings",
        JournalEntry.Revenue => "revenue",
        JournalEntry.Collections => "collections",
        _ => "contractPosition",
    };

    public static void WriteJson(Stream output, PeriodJournal journal, JournalAccounts accounts)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(writer, JournalDocument.From(journal, accounts), JournalJsonContext.Default.JournalDocument);
    }

    /// <summary>One row per line: the summary columns, and at the contract detail level the contract's dimensions.</summary>
    public static void WriteCsv(TextWriter output, PeriodJournal journal, JournalAccounts accounts)
    {
        using var csv = CsvWriter.Create(output, CsvMoney.Options, true);
        var detail = journal.Detail == JournalDetail.Contract;
        csv.WriteHeader((detail ? DetailColumns : SummaryColumns).ToArray());
        foreach (var line in journal.Lines)
        {
            var c = line.Currency;
            csv.WriteField(journal.Period.ToString());
            csv.WriteField(journal.Version > 0 ? journal.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
            csv.WriteField(c.Code);
            csv.WriteText(accounts.NameOf(line.Account));
            csv.WriteField(EntryName(line.Entry));
            csv.WriteMoney(line.Debit, c);
            csv.WriteMoney(line.Credit, c);
            csv.WriteText(Domain.Journal.Journal.Memo(line, journal.Period));
            if (detail)
            {
                var contract = line.Contract!;
                foreach (var text in new[] { contract.ContractId, contract.Customer.Id, contract.Customer.Name, contract.Customer.Segment ?? "", contract.Customer.Region ?? "", contract.SalesOwner ?? "" })
                {
                    csv.WriteText(text);
                }
            }

            csv.EndRecord();
        }
    }

    /// <summary>Per currency: each line with its account, debit and credit, then the totals and whether they balance.</summary>
    public static void WriteTable(TextWriter output, PeriodJournal journal, JournalAccounts accounts)
    {
        output.WriteLine($"Journal {journal.Period} ({JournalDocument.DetailName(journal.Detail)}; deferred revenue on {PolicyNames.NameOf(journal.Options.DeferredBasis)} basis)");
        foreach (var currency in journal.Lines.GroupBy(l => l.Currency.Code, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var c = Currency.Of(currency.Key);
            output.WriteLine();
            output.WriteLine($"{c.Code,-4}{"account",-28}{"debit",20}{"credit",20}  memo");
            foreach (var line in currency)
            {
                output.WriteLine($"    {accounts.NameOf(line.Account),-28}{Amount(c, line.Debit),20}{Amount(c, line.Credit),20}  {Domain.Journal.Journal.Memo(line, journal.Period)}");
            }

            var (debits, credits) = (currency.Sum(l => l.Debit), currency.Sum(l => l.Credit));
            output.WriteLine($"    {"total",-28}{SnapshotTable.Money(c, debits),20}{SnapshotTable.Money(c, credits),20}  {(debits == credits ? "balanced" : "NOT BALANCED")}");
        }
    }

    private static string Amount(Currency c, decimal amount) => amount == 0m ? string.Empty : SnapshotTable.Money(c, amount);
}
