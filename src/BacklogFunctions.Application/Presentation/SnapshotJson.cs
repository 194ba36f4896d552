using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The JSON form of snapshots and waterfalls: camelCase names from metrics.md, money as strings with the
/// currency's digits, ratios as strings or "n/a", dates as yyyy-MM-dd.
/// </summary>
public static class SnapshotJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Stream output, Snapshot snapshot)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        Header(w, snapshot);
        w.WriteStartArray("totals");
        foreach (var total in snapshot.Totals)
        {
            WriteTotals(w, total, snapshot.Options);
        }

        w.WriteEndArray();
        if (snapshot.Waterfalls.Count > 0)
        {
            WriteWaterfalls(w, snapshot.Waterfalls);
        }

        w.WriteStartArray("contracts");
        foreach (var contract in snapshot.Contracts)
        {
            WriteContract(w, contract);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Write(Stream output, DateOnly asOf, Period? period, IReadOnlyList<Waterfall> waterfalls)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("asOf", EventJson.Iso(asOf));
        if (period is { } p)
        {
            w.WriteString("period", p.ToString());
        }

        WriteWaterfalls(w, waterfalls);
        w.WriteEndObject();
    }

    private static void WriteWaterfalls(Utf8JsonWriter w, IReadOnlyList<Waterfall> waterfalls)
    {
        w.WriteStartArray("waterfalls");
        foreach (var waterfall in waterfalls)
        {
            var c = waterfall.Currency;
            w.WriteStartObject();
            w.WriteString("currency", c.Code);
            w.WriteString("backlog", c.Format(waterfall.Backlog));
            w.WriteStartArray("months");
            foreach (var month in waterfall.Months)
            {
                w.WriteStartObject();
                w.WriteNumber("index", month.Index);
                w.WriteString("month", Period.Of(month.Through).ToString());
                w.WriteString("through", EventJson.Iso(month.Through));
                w.WriteString("amount", c.Format(month.Amount));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("later", c.Format(waterfall.Later));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Header(Utf8JsonWriter w, Snapshot snapshot)
    {
        if (snapshot.Period is { } period)
        {
            w.WriteString("period", period.ToString());
        }

        w.WriteString("asOf", EventJson.Iso(snapshot.AsOf));
        w.WriteString("openingDate", EventJson.Iso(snapshot.OpeningDate));
        w.WriteStartObject("policy");
        w.WriteString("proration", PolicyNames.NameOf(snapshot.Options.Proration));
        w.WriteString("deferredBasis", PolicyNames.NameOf(snapshot.Options.DeferredBasis));
        w.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter w, CurrencyTotals total, SnapshotOptions options)
    {
        var c = total.Currency;
        var f = total.Figures;
        w.WriteStartObject();
        w.WriteString("currency", c.Code);
        w.WriteNumber("contractCount", total.Contracts);
        WriteFigures(w, f, c, includeBilling: true);

        w.WriteStartObject("rollForward");
        w.WriteStartObject("backlog");
        w.WriteString("opening", c.Format(f.OpeningBacklog));
        w.WriteString("priorPeriodAdjustments", c.Format(f.BacklogPriorPeriodAdjustment));
        w.WriteString("bookings", c.Format(f.Bookings));
        w.WriteString("expansions", c.Format(f.Expansions));
        w.WriteString("contractions", c.Format(-f.Contractions));
        w.WriteString("cancellations", c.Format(-f.Cancellations));
        w.WriteString("revenue", c.Format(-f.Revenue));
        w.WriteString("closing", c.Format(f.Backlog));
        w.WriteString("difference", c.Format(f.BacklogRollForwardDifference));
        w.WriteEndObject();
        w.WriteStartObject("netContractPosition");
        w.WriteString("opening", c.Format(f.OpeningNetContractPosition));
        w.WriteString("priorPeriodAdjustments", c.Format(f.NetContractPositionPriorPeriodAdjustment));
        w.WriteString(options.DeferredBasis == DeferredBasis.Collected ? "collections" : "billings", c.Format(f.ContractPositionInflow));
        w.WriteString("revenue", c.Format(-f.Revenue));
        w.WriteString("closing", c.Format(f.NetContractPosition));
        w.WriteString("difference", c.Format(f.NetContractPositionRollForwardDifference));
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("backlogAging");
        foreach (var (bucket, amount) in total.BacklogAging)
        {
            w.WriteString(bucket, c.Format(amount));
        }

        w.WriteEndObject();

        var concentration = total.Concentration;
        w.WriteStartObject("concentration");
        w.WriteNumber("customers", concentration.Customers);
        w.WriteString("largestShare", Share(concentration.LargestShare));
        w.WriteString("top10Share", Share(concentration.Top10Share));
        w.WriteString("herfindahl", Share(concentration.Herfindahl));
        w.WriteStartArray("topCustomers");
        foreach (var customer in concentration.TopCustomers)
        {
            w.WriteStartObject();
            w.WriteString("customerId", customer.CustomerId);
            w.WriteString("customerName", customer.CustomerName);
            w.WriteString("backlog", c.Format(customer.Backlog));
            w.WriteString("share", Share(customer.Share));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("segments");
        foreach (var segment in total.Segments)
        {
            w.WriteStartObject();
            w.WriteString("dimension", segment.Dimension);
            w.WriteString("value", segment.Value);
            w.WriteNumber("contractCount", segment.Contracts);
            WriteFigures(w, segment.Figures, c, segment.IncludesBilling);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteContract(Utf8JsonWriter w, ContractSnapshot contract)
    {
        var c = contract.Currency;
        w.WriteStartObject();
        w.WriteString("contractId", contract.ContractId);
        w.WriteString("currency", c.Code);
        w.WriteString("customerId", contract.Customer.Id);
        w.WriteString("customerName", contract.Customer.Name);
        w.WriteString("customerSegment", contract.Customer.Segment);
        w.WriteString("region", contract.Customer.Region);
        w.WriteString("salesOwner", contract.SalesOwner);
        w.WriteString("signedDate", EventJson.Iso(contract.SignedDate));
        w.WriteBoolean("signed", contract.IsSigned);
        w.WriteString("termLength", contract.TermLength);
        w.WriteString("backlogAge", contract.BacklogAge);
        if (contract.Attributes.Count > 0)
        {
            w.WriteStartObject("attributes");
            foreach (var (key, value) in contract.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        WriteFigures(w, contract.Figures, c, includeBilling: true);
        w.WriteStartArray("lines");
        foreach (var line in contract.Lines)
        {
            w.WriteStartObject();
            w.WriteString("lineId", line.LineId);
            w.WriteString("productLine", line.ProductLine);
            WriteFigures(w, line.Figures, c, includeBilling: false, includeRatios: false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter w, Figures f, Currency c, bool includeBilling, bool includeRatios = true)
    {
        foreach (var column in FigureColumns.All)
        {
            if (!column.IsBilling || includeBilling)
            {
                w.WriteString(column.Name, c.Format(column.Value(f)));
            }
        }

        if (includeRatios)
        {
            w.WriteString("backlogRatio", FigureColumns.FormatRatio(f.BacklogRatio));
            w.WriteString("backlogRatioTtm", FigureColumns.FormatRatio(f.BacklogRatioTtm));
        }
    }

    private static string Share(decimal? share) =>
        share is { } s ? s.ToString("0.000000", CultureInfo.InvariantCulture) : "n/a";

}
