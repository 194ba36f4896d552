using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// One contract's stored row (as JSON, see <see cref="StoredJson"/>): its descriptive fields, every figure of
/// <see cref="FigureColumns.All"/> with the contract-position inflow and the two ratios (money as strings with
/// the currency's digits), and its lines. Written in exactly this member order; members that earlier code did
/// not write are optional.
/// </summary>
public sealed record ContractRow
{
    public const string ContractPositionInflow = "contractPositionInflow";

    public required string ContractId { get; init; }
    public required string Currency { get; init; }
    public required string CustomerId { get; init; }
    public required string CustomerName { get; init; }
    public string? CustomerSegment { get; init; }
    public string? Region { get; init; }
    public string? SalesOwner { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public required DateOnly SignedDate { get; init; }
    public required bool IsSigned { get; init; }
    /// <summary>The term bucket's label (<see cref="BucketLabels"/>).</summary>
    public required string TermLength { get; init; }

    /// <summary>The age bucket's label (<see cref="BucketLabels"/>).</summary>
    public required string BacklogAge { get; init; }

    /// <summary>Every figure of <see cref="FigureColumns.All"/>, then the contract-position inflow and the ratios.</summary>
    public required OrderedDictionary<string, string> Figures { get; init; }

    public required IReadOnlyList<ContractRowLine> Lines { get; init; }

    /// <summary>Its late deliveries and milestones; absent when there are none (and in rows written before the forward view).</summary>
    public IReadOnlyList<OverdueDeliveryDocument>? OverdueDeliveries { get; init; }

    /// <summary>Its forecasts and open invoices; absent in rows written before the forward view.</summary>
    public ContractForwardRow? Forward { get; init; }

    /// <summary>Its progress lines with an expected loss; absent when there are none.</summary>
    public IReadOnlyList<LossContractDocument>? LossContracts { get; init; }

    public static ContractRow From(ContractSnapshot contract)
    {
        var c = contract.Currency;
        var figures = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in FigureColumns.All)
        {
            figures.Add(column.Name, c.Format(column.Value(contract.Figures)));
        }

        figures.Add(ContractPositionInflow, c.Format(contract.Figures.ContractPositionInflow));
        figures.Add("backlogRatio", FigureColumns.FormatRatio(contract.Figures.BacklogRatio));
        figures.Add("backlogRatioTtm", FigureColumns.FormatRatio(contract.Figures.BacklogRatioTtm));
        return new ContractRow
        {
            ContractId = contract.ContractId,
            Currency = c.Code,
            CustomerId = contract.Customer.Id,
            CustomerName = contract.Customer.Name,
            CustomerSegment = contract.Customer.Segment,
            Region = contract.Customer.Region,
            SalesOwner = contract.SalesOwner,
            Attributes = new SortedDictionary<string, string>(contract.Attributes.ToDictionary(), StringComparer.Ordinal),
            SignedDate = contract.SignedDate,
            IsSigned = contract.IsSigned,
            TermLength = BucketLabels.Label(contract.TermLength),
            BacklogAge = BucketLabels.Label(contract.BacklogAge),
            Figures = figures,
            Lines = [.. contract.Lines.Select(line => ContractRowLine.From(line, c))],
            OverdueDeliveries = contract.OverdueDeliveries.Count > 0 ? [.. contract.OverdueDeliveries.Select(OverdueDeliveryDocument.From)] : null,
            Forward = contract.Forward is { } forward ? ContractForwardRow.From(forward, c) : null,
            LossContracts = contract.LossContracts.Count > 0 ? [.. contract.LossContracts.Select(LossContractDocument.From)] : null,
        };
    }

    public ContractSnapshot ToSnapshot()
    {
        var figures = StoredMoney.Figures(Figures);
        if (Figures.TryGetValue(ContractPositionInflow, out var inflow))
        {
            figures = figures with { ContractPositionInflow = StoredMoney.Parse(inflow) };
        }

        var currency = Domain.Money.Currency.Of(Currency);
        return new ContractSnapshot
        {
            ContractId = ContractId,
            Currency = currency,
            Customer = new Customer(CustomerId, CustomerName, CustomerSegment, Region),
            SalesOwner = SalesOwner,
            Attributes = Attributes is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(Attributes, StringComparer.Ordinal),
            SignedDate = SignedDate,
            IsSigned = IsSigned,
            TermLength = BucketLabels.Term(TermLength),
            BacklogAge = BucketLabels.Age(BacklogAge),
            Figures = figures,
            Lines = [.. Lines.Select(l => l.ToSnapshot())],
            OverdueDeliveries = OverdueDeliveries is null ? [] : [.. OverdueDeliveries.Select(d => d.ToDelivery())],
            Forward = Forward?.ToDetail(ContractId, currency),
            LossContracts = LossContracts is null ? [] : [.. LossContracts.Select(l => l.ToLoss())],
        };
    }

    /// <summary>Where the next period opens: the contract's stored closing backlog and net contract position, and each line's backlog.</summary>
    public LockedClosing ToLockedClosing() => new(
        StoredMoney.Parse(Figures["backlog"]),
        StoredMoney.Parse(Figures["netContractPosition"]),
        Lines.ToDictionary(l => l.LineId, l => StoredMoney.Parse(l.Backlog), StringComparer.Ordinal));
}

/// <summary>A line of a stored contract row: the figures every reader wants, then whatever else is not zero.</summary>
public sealed record ContractRowLine
{
    public required string LineId { get; init; }
    public string? ProductLine { get; init; }
    public required string Backlog { get; init; }
    public required string Revenue { get; init; }
    public required string Tcv { get; init; }

    /// <summary>The line's non-zero figures; absent in rows written before lines kept them.</summary>
    public OrderedDictionary<string, string>? Figures { get; init; }

    /// <summary>A progress line's progress (4 decimals); absent for the other patterns.</summary>
    public string? Progress { get; init; }

    /// <summary>How the line earns revenue (the event schema's name); absent in rows written before lines kept it.</summary>
    public string? Recognition { get; init; }

    public static ContractRowLine From(LineSnapshot line, Currency currency)
    {
        var figures = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in FigureColumns.All)
        {
            var value = column.Value(line.Figures);
            if (value != 0m)
            {
                figures.Add(column.Name, currency.Format(value));
            }
        }

        return new ContractRowLine
        {
            LineId = line.LineId,
            ProductLine = line.ProductLine,
            Backlog = currency.Format(line.Figures.Backlog),
            Revenue = currency.Format(line.Figures.Revenue),
            Tcv = currency.Format(line.Figures.Tcv),
            Figures = figures,
            Progress = ContractLineDocument.FormatProgress(line.Progress),
            Recognition = line.Recognition is { } pattern ? EventJson.Recognitions.NameOf(pattern) : null,
        };
    }

    /// <summary>Rows written before lines kept their figures hold only backlog, revenue and TCV.</summary>
    public LineSnapshot ToSnapshot() => new(
        LineId,
        ProductLine,
        Figures is null
            ? new Domain.Snapshots.Figures { Backlog = StoredMoney.Parse(Backlog), Revenue = StoredMoney.Parse(Revenue), Tcv = StoredMoney.Parse(Tcv) }
            : StoredMoney.Figures(Figures))
    {
        Progress = Progress is null ? null : StoredMoney.Parse(Progress),
        Recognition = EventJson.Recognitions.TryParse(Recognition, out var pattern) ? pattern : null,
    };
}

/// <summary>Money as stored: invariant decimal strings (optional sign, no separators), never binary floating point.</summary>
public static class StoredMoney
{
    public static decimal Parse(string text) =>
        decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>Every figure of <see cref="FigureColumns.All"/> that the map holds; zero for the others.</summary>
    public static Figures Figures(IReadOnlyDictionary<string, string> amounts)
    {
        var figures = Domain.Snapshots.Figures.Zero;
        foreach (var column in FigureColumns.All)
        {
            if (amounts.TryGetValue(column.Name, out var value))
            {
                figures = column.With(figures, Parse(value));
            }
        }

        return figures;
    }
}
