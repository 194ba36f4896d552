using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// One contract's snapshot as stored with a closed period: every figure of the contract (money as strings with
/// the currency's digits), every line's non-zero figures, and what segments and aging group it by. It reads
/// back into the same <see cref="ContractSnapshot"/>, so the totals of a period can be rebuilt from its rows
/// (the sharded close combines them this way) and reports can drill down to contracts.
/// </summary>
public static class ContractSnapshotJson
{
    private const string ContractPositionInflow = "contractPositionInflow";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ContractSnapshot contract)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var c = contract.Currency;
            w.WriteStartObject();
            w.WriteString("contractId", contract.ContractId);
            w.WriteString("currency", c.Code);
            w.WriteString("customerId", contract.Customer.Id);
            w.WriteString("customerName", contract.Customer.Name);
            WriteOptional(w, "customerSegment", contract.Customer.Segment);
            WriteOptional(w, "region", contract.Customer.Region);
            WriteOptional(w, "salesOwner", contract.SalesOwner);
            w.WriteStartObject("attributes");
            foreach (var (key, value) in contract.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteString("signedDate", EventJson.Iso(contract.SignedDate));
            w.WriteBoolean("isSigned", contract.IsSigned);
            w.WriteString("termLength", contract.TermLength);
            w.WriteString("backlogAge", contract.BacklogAge);
            w.WriteStartObject("figures");
            foreach (var column in FigureColumns.All)
            {
                w.WriteString(column.Name, c.Format(column.Value(contract.Figures)));
            }

            w.WriteString(ContractPositionInflow, c.Format(contract.Figures.ContractPositionInflow));
            w.WriteString("backlogRatio", FigureColumns.FormatRatio(contract.Figures.BacklogRatio));
            w.WriteString("backlogRatioTtm", FigureColumns.FormatRatio(contract.Figures.BacklogRatioTtm));
            w.WriteEndObject();
            w.WriteStartArray("lines");
            foreach (var line in contract.Lines)
            {
                w.WriteStartObject();
                w.WriteString("lineId", line.LineId);
                WriteOptional(w, "productLine", line.ProductLine);

                // The convenience figures every reader wants, then whatever else is not zero.
                w.WriteString("backlog", c.Format(line.Figures.Backlog));
                w.WriteString("revenue", c.Format(line.Figures.Revenue));
                w.WriteString("tcv", c.Format(line.Figures.Tcv));
                w.WriteStartObject("figures");
                foreach (var column in FigureColumns.All)
                {
                    var value = column.Value(line.Figures);
                    if (value != 0m)
                    {
                        w.WriteString(column.Name, c.Format(value));
                    }
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static ContractSnapshot Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var currency = Currency.Of(root.GetProperty("currency").GetString()!);
        var figures = ReadFigures(root.GetProperty("figures"));
        if (root.GetProperty("figures").TryGetProperty(ContractPositionInflow, out var inflow))
        {
            figures = figures with { ContractPositionInflow = Money(inflow) };
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("attributes", out var attributeElement))
        {
            foreach (var attribute in attributeElement.EnumerateObject())
            {
                attributes[attribute.Name] = attribute.Value.GetString()!;
            }
        }

        var lines = root.GetProperty("lines").EnumerateArray()
            .Select(l => new LineSnapshot(
                l.GetProperty("lineId").GetString()!,
                Optional(l, "productLine"),
                l.TryGetProperty("figures", out var lineFigures) ? ReadFigures(lineFigures) : new Figures { Backlog = Money(l.GetProperty("backlog")), Revenue = Money(l.GetProperty("revenue")), Tcv = Money(l.GetProperty("tcv")) }))
            .ToList();

        return new ContractSnapshot
        {
            ContractId = root.GetProperty("contractId").GetString()!,
            Currency = currency,
            Customer = new Customer(root.GetProperty("customerId").GetString()!, root.GetProperty("customerName").GetString()!, Optional(root, "customerSegment"), Optional(root, "region")),
            SalesOwner = Optional(root, "salesOwner"),
            Attributes = attributes,
            SignedDate = DateOnly.ParseExact(root.GetProperty("signedDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            IsSigned = root.GetProperty("isSigned").GetBoolean(),
            TermLength = root.GetProperty("termLength").GetString()!,
            BacklogAge = root.GetProperty("backlogAge").GetString()!,
            Figures = figures,
            Lines = lines,
        };
    }

    /// <summary>A stored money string (invariant culture, optional sign, no separators).</summary>
    public static decimal Money(JsonElement value) =>
        decimal.Parse(value.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>Every figure of <see cref="FigureColumns.All"/> that the JSON object holds (decimal strings); zero for the others.</summary>
    public static Figures ReadFigures(JsonElement element)
    {
        var figures = Figures.Zero;
        foreach (var column in FigureColumns.All)
        {
            if (element.TryGetProperty(column.Name, out var value))
            {
                figures = column.With(figures, Money(value));
            }
        }

        return figures;
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
