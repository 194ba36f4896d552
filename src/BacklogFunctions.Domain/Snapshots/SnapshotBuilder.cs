using System.Runtime.InteropServices;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>Adds contract snapshots up into per-currency totals, segments, aging and concentration.</summary>
internal sealed class SnapshotBuilder(DateOnly asOf, DateOnly opening, SnapshotOptions options, bool keepContracts)
{
    private readonly SortedDictionary<string, CurrencyAccumulator> _currencies = new(StringComparer.Ordinal);
    private readonly List<ContractSnapshot> _contracts = [];
    private readonly List<LossContract> _losses = [];

    public void Add(ContractSnapshot contract)
    {
        // A contract signed later, with nothing billed or collected yet, is not part of this snapshot.
        if (!contract.IsSigned && contract.Figures.IsZero)
        {
            return;
        }

        if (keepContracts)
        {
            _contracts.Add(contract);
        }

        _losses.AddRange(contract.LossContracts);

        if (!_currencies.TryGetValue(contract.Currency.Code, out var accumulator))
        {
            accumulator = new CurrencyAccumulator(contract.Currency);
            _currencies.Add(contract.Currency.Code, accumulator);
        }

        accumulator.Add(contract);
    }

    public Snapshot Build(Period? period) => new()
    {
        Forecasts = [.. _currencies.Values.Select(c => c.Forecast).OfType<Forward.ForecastLine>()],
        OverdueDeliveries = [.. _currencies.Values.SelectMany(c => c.OverdueDeliveries)
            .OrderBy(d => d.ContractId, StringComparer.Ordinal)
            .ThenBy(d => d.LineId, StringComparer.Ordinal)
            .ThenBy(d => d.MilestoneId, StringComparer.Ordinal)],
        LossContracts = [.. _losses.OrderBy(l => l.ContractId, StringComparer.Ordinal).ThenBy(l => l.LineId, StringComparer.Ordinal)],
        AsOf = asOf,
        OpeningDate = opening,
        Period = period,
        Options = options,
        Totals = _currencies.Values.Select(c => c.Build()).ToList(),
        Contracts = _contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal).ToList(),
    };

    private sealed class CurrencyAccumulator(Currency currency)
    {
        private readonly Figures _total = new();
        private readonly decimal[] _aging = new decimal[AgeBuckets.All.Count];
        private readonly Dictionary<string, CustomerSums> _customers = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Dimension, string Value), Segment> _segments = [];
        private int _contracts;

        /// <summary>The sum of the contracts' forecasts; null when none carries one.</summary>
        public Forward.ForecastLine? Forecast { get; private set; }

        public List<Forward.OverdueDelivery> OverdueDeliveries { get; } = [];

        public void Add(ContractSnapshot contract)
        {
            _contracts++;
            OverdueDeliveries.AddRange(contract.OverdueDeliveries);
            if (contract.Forward is { } forward)
            {
                Forecast = Forecast is null ? forward.Forecast with { ContractId = null } : Forecast + forward.Forecast;
            }

            _total.AddInPlace(contract.Figures);
            _aging[(int)contract.BacklogAge] += contract.Figures.Backlog;
            var customer = contract.Customer;
            ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(_customers, customer.Id, out var known);
            if (!known)
            {
                sums.Name = customer.Name;
            }

            sums.Backlog += contract.Figures.Backlog;
            sums.ArrThen += contract.Figures.ArrYearEarlier;
            sums.ArrNow += contract.Figures.Arr;

            AddSegment(SegmentDimensions.CustomerSegment, customer.Segment, contract, contract.Figures);
            AddSegment(SegmentDimensions.Region, customer.Region, contract, contract.Figures);
            AddSegment(SegmentDimensions.SalesOwner, contract.SalesOwner, contract, contract.Figures);
            AddSegment(SegmentDimensions.TermLength, SegmentDimensions.ValueOf(contract.TermLength), contract, contract.Figures);
            foreach (var (key, value) in contract.Attributes)
            {
                AddSegment(SegmentDimensions.AttributePrefix + key, value, contract, contract.Figures);
            }

            foreach (var line in contract.Lines)
            {
                AddSegment(SegmentDimensions.ProductLine, line.ProductLine, contract, line.Figures);
            }
        }

        public CurrencyTotals Build()
        {
            // Attributes only some contracts carry: the others are "(none)", so every dimension sums to the total.
            var attributeDimensions = _segments.Keys.Select(k => k.Dimension)
                .Where(d => d.StartsWith(SegmentDimensions.AttributePrefix, StringComparison.Ordinal)).Distinct().ToList();
            foreach (var dimension in attributeDimensions)
            {
                var rest = new Segment { Figures = _total, Count = _contracts };
                foreach (var ((d, _), entry) in _segments)
                {
                    if (d == dimension)
                    {
                        rest.Figures -= entry.Figures;
                        rest.Count -= entry.Count;
                    }
                }

                if (rest.Count > 0)
                {
                    _segments[(dimension, SegmentDimensions.None)] = rest;
                }
            }

            var segments = _segments
                .OrderBy(s => s.Key.Dimension, StringComparer.Ordinal)
                .ThenByDescending(s => s.Value.Figures.Backlog)
                .ThenBy(s => s.Key.Value, StringComparer.Ordinal)
                .Select(s => new SegmentFigures(
                    s.Key.Dimension,
                    s.Key.Value,
                    s.Value.Count,
                    s.Value.Figures,
                    IncludesBilling: s.Key.Dimension != SegmentDimensions.ProductLine))
                .ToList();

            var (grr, nrr) = Forward.Kpis.Retention(_customers.Values.Select(c => (c.ArrThen, c.ArrNow)));
            return new CurrencyTotals
            {
                Grr = grr,
                Nrr = nrr,
                Currency = currency,
                Contracts = _contracts,
                Figures = _total,
                BacklogAging = AgeBuckets.All.ToDictionary(b => b, b => _aging[(int)b]),
                Concentration = Concentration.Of(_customers.Select(c => (c.Key, c.Value.Name, c.Value.Backlog))),
                Segments = segments,
            };
        }

        private void AddSegment(string dimension, string? value, ContractSnapshot contract, Figures figures)
        {
            var key = (dimension, value ?? SegmentDimensions.None);
            if (!_segments.TryGetValue(key, out var entry))
            {
                entry = new Segment();
                _segments.Add(key, entry);
            }

            entry.Figures.AddInPlace(figures);

            // A contract's segments are all added in one call, so a contract is new to the segment unless it was the
            // last one added (two lines of one contract in one product line count it once).
            if (!ReferenceEquals(entry.LastContract, contract))
            {
                entry.LastContract = contract;
                entry.Count++;
            }
        }

        /// <summary>One customer's sums in the currency: backlog for concentration, ARR now and a year earlier for GRR and NRR.</summary>
        private struct CustomerSums
        {
            public string Name;
            public decimal Backlog;
            public decimal ArrThen;
            public decimal ArrNow;
        }

        private sealed class Segment
        {
            public Figures Figures { get; set; } = new();

            public int Count { get; set; }

            public ContractSnapshot? LastContract { get; set; }
        }
    }
}
