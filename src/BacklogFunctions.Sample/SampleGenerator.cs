using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Sample;

/// <summary>What to generate.</summary>
/// <param name="Contracts">How many contracts.</param>
/// <param name="Months">How many months of history, ending with the last day of <c>Start + Months − 1</c>.</param>
/// <param name="Seed">The same seed always gives the same events.</param>
/// <param name="Start">The first month of the history.</param>
public sealed record SampleSpec(int Contracts, int Months, int Seed, Period Start)
{
    public static readonly Period DefaultStart = new(2024, 1);

    /// <summary>
    /// Also a project business (fixed-price projects earned by progress, one of them with a revised estimate, one a
    /// loss contract) and a usage business (metered contracts with monthly commitments), after the usual contracts
    /// and from their own random sequence: the usual contracts are the same with or without them.
    /// </summary>
    public bool ProjectsAndUsage { get; init; }

    public DateOnly FirstDay => Start.FirstDay;

    public DateOnly LastDay => Start.AddMonths(Months - 1).LastDay;
}

/// <summary>
/// Generates the event stream of a plausible software company: monthly and annual SaaS subscriptions,
/// multi-year platform deals, services projects paid by milestone, one-off deliveries; upsells, downgrades
/// and cancellations; invoices upfront, annually, quarterly, monthly or in arrears; late, partial and refunded
/// payments, credit notes and voided invoices; four currencies (USD, EUR, JPY, KWD) and a few very large
/// customers. Every event is dated inside the requested months, and events arrive in occurrence order,
/// some of them late.
/// </summary>
public sealed partial class SampleGenerator
{
    private static readonly string[] Segments = ["Enterprise", "Mid-Market", "SMB", "Public Sector"];
    private static readonly string[] Regions = ["NA", "EMEA", "APAC", "LATAM"];
    private static readonly string[] Owners = ["a.lopez", "b.chen", "c.okafor", "d.schmidt", "e.tanaka", "f.dubois", "g.silva"];
    private static readonly string[] Channels = ["direct", "partner", "marketplace"];
    private static readonly string[] Reasons = ["budget", "switched vendor", "merged with another subsidiary", "non-payment"];

    private readonly SampleSpec _spec;
    private readonly Random _random;

    // Billing plans and payment terms draw from their own sequence: the rest of a company is the same with or
    // without them, so the figures of a seed did not change when plans were added.
    private readonly Random _plans;
    private readonly List<ContractEvent> _events = [];
    private readonly List<(string Id, string Name, string Segment, string Region, bool IsLarge)> _customers = [];
    private int _sequence;

    private int _customerCount;

    private SampleGenerator(SampleSpec spec)
    {
        _spec = spec;
        _random = new Random(spec.Seed);
        _plans = new Random(unchecked(spec.Seed * 31) + 7);
    }

    /// <summary>The events of <paramref name="spec"/>, in the order a billing system would have sent them.</summary>
    public static IReadOnlyList<ContractEvent> Generate(SampleSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spec.Contracts);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Months, 1);
        var generator = new SampleGenerator(spec);
        generator.CreateCustomers();
        for (var i = 1; i <= spec.Contracts; i++)
        {
            generator.CreateContract(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"C-{i:000000}"));
        }

        if (spec.ProjectsAndUsage)
        {
            generator.CreateProjectsAndUsage();
        }

        return generator._events
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The events as NDJSON lines, amounts written with each contract's currency digits.</summary>
    public static IEnumerable<string> ToNdjson(IEnumerable<ContractEvent> events)
    {
        var currencies = new Dictionary<string, Currency>(StringComparer.Ordinal);
        var list = events as IReadOnlyList<ContractEvent> ?? events.ToList();
        foreach (var e in list)
        {
            if (e is ContractSigned s)
            {
                currencies[s.ContractId] = s.Currency;
            }
        }

        foreach (var e in list)
        {
            yield return EventJson.Write(e, currencies.TryGetValue(e.ContractId, out var c) ? c : null);
        }
    }

    private void CreateCustomers()
    {
        var count = Math.Max(1, (_spec.Contracts * 2 / 3) + 1);
        for (var i = 1; i <= count; i++)
        {
            var isLarge = i <= Math.Max(1, count / 40);
            _customers.Add((
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CUST-{i:00000}"),
                CustomerName(i),
                isLarge ? "Enterprise" : Pick(Segments),
                Pick(Regions),
                isLarge));
        }

        _customerCount = count;
    }

    private static string CustomerName(int i)
    {
        string[] first = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Litware", "Proseware", "Wingtip", "Alpine", "Coho", "Fourth", "Lucerne", "Margie's", "Trey", "Wide World", "Woodgrove", "Humongous", "Blue Yonder", "Graphic", "Bellows"];
        string[] second = ["Traders", "Systems", "Industries", "Airlines", "Corporation", "Holdings", "Software", "Toys", "Ski House", "Winery", "Coffee", "Publishing", "Travel", "Research", "Importers", "Bank", "Insurance", "Airlines", "Design", "College"];
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first[i % first.Length]} {second[(i / first.Length) % second.Length]} {i}");
    }

    private void CreateContract(string contractId)
    {
        // A few very large customers take many contracts, so concentration means something.
        var customer = _random.Next(100) < 15 ? _customers[_random.Next(Math.Max(1, _customers.Count / 40))] : Pick(_customers);
        var currency = _random.Next(100) switch
        {
            < 58 => Currency.USD,
            < 83 => Currency.EUR,
            < 95 => Currency.JPY,
            _ => Currency.KWD,
        };
        var scale = customer.IsLarge ? 8m + _random.Next(20) : 1m;
        var signed = _spec.FirstDay.AddDays(_random.Next(_spec.LastDay.DayNumber - _spec.FirstDay.DayNumber + 1));
        var kind = _random.Next(100);
        var plan = kind switch
        {
            < 30 => MonthlySubscription(signed, currency, scale),
            < 55 => AnnualSubscription(signed, currency, scale),
            < 70 => MultiYearDeal(signed, currency, scale),
            < 85 => ServicesProject(signed, currency, scale),
            _ => OneOffDelivery(signed, currency, scale),
        };

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["channel"] = Pick(Channels) };
        plan = (WithPlans(plan.Lines, plan.Billing, currency), plan.Billing);
        Emit(new ContractSigned
        {
            Id = NextId("evt"),
            Source = "billing-main",
            OccurredAt = Instant(signed),
            ContractId = contractId,
            SignedDate = signed,
            Currency = currency,
            Customer = new Customer(customer.Id, customer.Name, customer.Segment, customer.Region),
            SalesOwner = Pick(Owners),
            Attributes = attributes,
            PaymentTermsDays = _plans.Next(10) switch { 0 => 0, < 6 => 30, < 8 => 45, _ => 60 },
            Lines = plan.Lines,
        });

        var lines = plan.Lines;
        var cancelledAfter = DateOnly.MaxValue;
        var ratable = lines.Where(l => l.Recognition == RecognitionPattern.Ratable).ToList();
        if (ratable.Count > 0)
        {
            var start = ratable.Min(l => l.ServiceStart!.Value);
            var end = ratable.Max(l => l.ServiceEnd!.Value);
            var roll = _random.Next(100);
            if (roll < 14)
            {
                lines = Amend(contractId, lines, start, end, currency, upsell: true);
            }
            else if (roll < 21)
            {
                lines = Amend(contractId, lines, start, end, currency, upsell: false);
            }
            else if (roll < 28)
            {
                cancelledAfter = Cancel(contractId, start, end);
            }
        }

        Complete(contractId, lines, signed, cancelledAfter);
        Bill(contractId, lines, plan.Billing, currency, cancelledAfter);
    }

    /// <summary>
    /// The billing plan each line states, close to how the contract is invoiced (a plan and the invoices need not
    /// agree: billing ahead of or behind plan is what the forward view shows). A few lines have no plan, and a
    /// few deliveries and projects an explicit schedule.
    /// </summary>
    private List<ContractLine> WithPlans(List<ContractLine> lines, Billing billing, Currency currency)
    {
        if (_plans.Next(100) < 8)
        {
            return lines;
        }

        return [.. lines.Select(line =>
        {
            if (line.Recognition != RecognitionPattern.Ratable)
            {
                return line with { Billing = _plans.Next(100) < 15 ? Schedule(line, currency) : billing == Billing.Upfront ? Plan(BillingFrequency.Upfront) : Plan(BillingFrequency.OnDelivery) };
            }

            return line with
            {
                Billing = billing switch
                {
                    Billing.Monthly => Plan(BillingFrequency.Monthly),
                    Billing.InArrears => Plan(BillingFrequency.Monthly, BillingTiming.Arrears),
                    Billing.Quarterly => Plan(BillingFrequency.Quarterly, _plans.Next(2) == 0 ? BillingTiming.Arrears : BillingTiming.Advance),
                    Billing.Annually => Plan(BillingFrequency.Annual),
                    _ => Plan(BillingFrequency.Upfront),
                },
            };
        })];
    }

    private static BillingPlan Plan(BillingFrequency frequency, BillingTiming timing = BillingTiming.Advance) => new() { Frequency = frequency, Timing = timing };

    /// <summary>Two to four installments a month apart from the line's first date, adding up to its amount.</summary>
    private BillingPlan Schedule(ContractLine line, Currency currency)
    {
        var count = 2 + _plans.Next(3);
        var first = line.ExpectedDate ?? line.Milestones[0].ExpectedDate;
        var unit = currency.MinorUnit switch { 0 => 1m, 1 => 0.1m, 2 => 0.01m, 3 => 0.001m, _ => 0.0001m };
        var share = Math.Floor(line.Amount / count / unit) * unit;
        var installments = Enumerable.Range(0, count)
            .Select(i => new BillingInstallment(first.AddMonths(i - 1), i < count - 1 ? share : line.Amount - (share * (count - 1))))
            .ToList();
        return new BillingPlan { Frequency = null, Schedule = installments };
    }

    private (List<ContractLine> Lines, Billing Billing) MonthlySubscription(DateOnly signed, Currency currency, decimal scale)
    {
        var start = FirstOfNextMonthOrToday(signed);
        var end = start.AddMonths(12).AddDays(-1);
        var monthly = Amount(currency, 300m * scale, 4000m * scale, roundTo: 10m);
        return ([Line("L1", monthly * 12, start, end, "Subscriptions")], _random.Next(4) == 0 ? Billing.InArrears : Billing.Monthly);
    }

    private (List<ContractLine> Lines, Billing Billing) AnnualSubscription(DateOnly signed, Currency currency, decimal scale)
    {
        var start = signed.AddDays(_random.Next(0, 20));
        var end = start.AddYears(1).AddDays(-1);
        var lines = new List<ContractLine> { Line("L1", Amount(currency, 6_000m * scale, 60_000m * scale, 100m), start, end, "Subscriptions") };
        if (_random.Next(3) == 0)
        {
            lines.Add(Line("L2", Amount(currency, 1_000m * scale, 12_000m * scale, 100m), start, end, "Support"));
        }

        return (lines, _random.Next(3) == 0 ? Billing.Quarterly : Billing.Upfront);
    }

    private (List<ContractLine> Lines, Billing Billing) MultiYearDeal(DateOnly signed, Currency currency, decimal scale)
    {
        var start = FirstOfNextMonthOrToday(signed);
        var years = 2 + _random.Next(3);
        var end = start.AddYears(years).AddDays(-1);
        var lines = new List<ContractLine>
        {
            Line("L1", Amount(currency, 40_000m * scale, 400_000m * scale, 1000m) * years, start, end, "Platform"),
            new()
            {
                LineId = "L2",
                Amount = Amount(currency, 5_000m * scale, 30_000m * scale, 500m),
                Recognition = RecognitionPattern.PointInTime,
                ExpectedDate = start.AddDays(_random.Next(10, 60)),
                ProductLine = "Implementation",
                Description = "Onboarding package",
            },
        };
        return (lines, _random.Next(2) == 0 ? Billing.Annually : Billing.Quarterly);
    }

    private (List<ContractLine> Lines, Billing Billing) ServicesProject(DateOnly signed, Currency currency, decimal scale)
    {
        var count = 2 + _random.Next(3);
        var milestones = new List<MilestoneTerms>();
        var date = signed;
        for (var i = 1; i <= count; i++)
        {
            date = date.AddDays(20 + _random.Next(60));
            milestones.Add(new MilestoneTerms($"M{i}", Amount(currency, 5_000m * scale, 50_000m * scale, 250m), date));
        }

        var line = new ContractLine
        {
            LineId = "P1",
            Amount = milestones.Sum(m => m.Amount),
            Recognition = RecognitionPattern.Milestone,
            ProductLine = "Professional Services",
            Description = "Implementation project",
            Milestones = milestones,
        };
        return ([line], Billing.OnCompletion);
    }

    private (List<ContractLine> Lines, Billing Billing) OneOffDelivery(DateOnly signed, Currency currency, decimal scale)
    {
        var line = new ContractLine
        {
            LineId = "D1",
            Amount = Amount(currency, 2_000m * scale, 80_000m * scale, 50m),
            Recognition = RecognitionPattern.PointInTime,
            ExpectedDate = signed.AddDays(5 + _random.Next(45)),
            ProductLine = "Hardware",
            Description = "Appliance delivery",
        };
        return ([line], _random.Next(2) == 0 ? Billing.Upfront : Billing.OnCompletion);
    }

    private List<ContractLine> Amend(string contractId, List<ContractLine> lines, DateOnly start, DateOnly end, Currency currency, bool upsell)
    {
        var signedOn = start.AddDays(30 + _random.Next(Math.Max(1, end.DayNumber - start.DayNumber - 60)));
        if (signedOn > _spec.LastDay)
        {
            return lines;
        }

        // Mostly from the first of next month; sometimes retroactive to the start of this month.
        var effective = _random.Next(5) == 0 ? new DateOnly(signedOn.Year, signedOn.Month, 1) : FirstOfNextMonthOrToday(signedOn.AddDays(1));
        var factor = upsell ? 1.1m + (_random.Next(40) / 100m) : 0.7m + (_random.Next(20) / 100m);
        var amended = lines.Select(l => l.Recognition == RecognitionPattern.Ratable
            ? l with { Amount = currency.Round(l.Amount * factor) }
            : l).ToList();
        if (upsell && _random.Next(3) == 0 && effective <= end)
        {
            amended.Add(Line("L9", Amount(currency, 2_000m, 20_000m, 100m), effective, end, "Add-ons") with { Billing = Plan(BillingFrequency.Monthly) });
        }

        Emit(new ContractAmended
        {
            Id = NextId("evt"),
            Source = "billing-main",
            OccurredAt = Instant(signedOn),
            ContractId = contractId,
            SignedDate = signedOn,
            Effective = effective,
            Lines = amended,
        });
        return amended;
    }

    private DateOnly Cancel(string contractId, DateOnly start, DateOnly end)
    {
        var decided = start.AddDays(20 + _random.Next(Math.Max(1, end.DayNumber - start.DayNumber - 20)));
        if (decided > _spec.LastDay)
        {
            return DateOnly.MaxValue;
        }

        // Usually at the end of the month; sometimes backdated to a day already past.
        var last = _random.Next(6) == 0 ? decided.AddDays(-_random.Next(1, 25)) : Period.Of(decided).LastDay;
        if (last < start)
        {
            last = start;
        }

        Emit(new ContractCancelled
        {
            Id = NextId("evt"),
            Source = "billing-main",
            OccurredAt = Instant(decided),
            ContractId = contractId,
            CancelledOn = decided,
            LastServiceDate = last,
            Reason = Pick(Reasons),
        });
        return last;
    }

    private void Complete(string contractId, List<ContractLine> lines, DateOnly signed, DateOnly cancelledAfter)
    {
        foreach (var line in lines)
        {
            if (line.Recognition == RecognitionPattern.PointInTime)
            {
                var date = Later(line.ExpectedDate!.Value.AddDays(_random.Next(-10, 25)), signed);
                if (date <= _spec.LastDay && date <= cancelledAfter && _random.Next(10) > 0)
                {
                    Emit(new DeliveryCompleted { Id = NextId("evt"), Source = "ops", OccurredAt = Instant(date, lateDays: _random.Next(3)), ContractId = contractId, LineId = line.LineId, Date = date });
                }
            }

            foreach (var milestone in line.Milestones)
            {
                var date = Later(milestone.ExpectedDate.AddDays(_random.Next(-10, 30)), signed);
                if (date <= _spec.LastDay && date <= cancelledAfter && _random.Next(12) > 0)
                {
                    Emit(new MilestoneCompleted { Id = NextId("evt"), Source = "ops", OccurredAt = Instant(date, lateDays: _random.Next(5)), ContractId = contractId, LineId = line.LineId, MilestoneId = milestone.MilestoneId, Date = date });
                }
            }
        }
    }

    private void Bill(string contractId, List<ContractLine> lines, Billing billing, Currency currency, DateOnly cancelledAfter)
    {
        var total = lines.Sum(l => l.Amount);
        var schedule = new List<(DateOnly Date, decimal Amount)>();
        var ratable = lines.Where(l => l.Recognition == RecognitionPattern.Ratable).ToList();
        var start = ratable.Count > 0 ? ratable.Min(l => l.ServiceStart!.Value) : lines.Min(l => l.ExpectedDate ?? l.Milestones[0].ExpectedDate);
        var end = ratable.Count > 0 ? ratable.Max(l => l.ServiceEnd!.Value) : start;
        switch (billing)
        {
            case Billing.Upfront:
                schedule.Add((start, total));
                break;
            case Billing.OnCompletion:
                foreach (var line in lines)
                {
                    var dates = line.Milestones.Count > 0 ? line.Milestones.Select(m => (m.ExpectedDate, m.Amount)) : [(line.ExpectedDate ?? start, line.Amount)];
                    schedule.AddRange(dates.Select(d => (d.Item1.AddDays(_random.Next(0, 20)), d.Item2)));
                }

                break;
            default:
                var months = billing switch { Billing.Annually => 12, Billing.Quarterly => 3, _ => 1 };
                var periods = new List<DateOnly>();
                for (var d = start; d <= end; d = d.AddMonths(months))
                {
                    periods.Add(billing == Billing.InArrears ? d.AddMonths(1).AddDays(-1) : d);
                }

                var share = currency.Round(total / periods.Count);
                for (var i = 0; i < periods.Count; i++)
                {
                    schedule.Add((periods[i], i == periods.Count - 1 ? total - (share * (periods.Count - 1)) : share));
                }

                break;
        }

        foreach (var (date, invoiced) in schedule)
        {
            var amount = invoiced;
            if (date > _spec.LastDay || (cancelledAfter < _spec.LastDay && date > cancelledAfter.AddDays(31)) || amount <= 0m)
            {
                continue;
            }

            var invoiceId = NextId("INV");
            Emit(new InvoiceIssued { Id = NextId("evt"), Source = "billing-main", OccurredAt = Instant(date), ContractId = contractId, InvoiceId = invoiceId, IssueDate = date, Amount = amount, DueDate = date.AddDays(30) });

            var roll = _random.Next(100);
            if (roll < 2)
            {
                var voided = date.AddDays(_random.Next(1, 10));
                if (voided <= _spec.LastDay)
                {
                    Emit(new InvoiceVoided { Id = NextId("evt"), Source = "billing-main", OccurredAt = Instant(voided), ContractId = contractId, InvoiceId = invoiceId, Date = voided });
                    continue;
                }
            }

            if (roll is >= 2 and < 5)
            {
                var credited = date.AddDays(_random.Next(5, 40));
                var credit = currency.Round(amount * (_random.Next(5, 30) / 100m));
                if (credited <= _spec.LastDay && credit > 0m)
                {
                    Emit(new CreditNoteIssued { Id = NextId("evt"), Source = "billing-main", OccurredAt = Instant(credited), ContractId = contractId, CreditNoteId = NextId("CN"), Date = credited, Amount = credit, InvoiceId = invoiceId });
                    amount -= credit;
                }
            }

            Pay(contractId, invoiceId, date, amount, currency);
        }
    }

    private void Pay(string contractId, string invoiceId, DateOnly issued, decimal amount, Currency currency)
    {
        if (_random.Next(100) < 6)
        {
            return; // never paid (yet)
        }

        var paid = issued.AddDays(_random.Next(100) < 25 ? _random.Next(35, 120) : _random.Next(5, 30));
        var first = _random.Next(100) < 10 ? currency.Round(amount * (_random.Next(30, 80) / 100m)) : amount;
        EmitPayment(contractId, invoiceId, paid, first);
        if (first < amount)
        {
            EmitPayment(contractId, invoiceId, paid.AddDays(_random.Next(10, 60)), amount - first);
        }

        if (_random.Next(100) < 2)
        {
            EmitPayment(contractId, invoiceId, paid.AddDays(_random.Next(5, 30)), -currency.Round(first * 0.1m));
        }
    }

    private void EmitPayment(string contractId, string invoiceId, DateOnly date, decimal amount)
    {
        if (date <= _spec.LastDay && amount != 0m)
        {
            Emit(new PaymentReceived { Id = NextId("evt"), Source = "payments", OccurredAt = Instant(date, lateDays: _random.Next(2)), ContractId = contractId, PaymentId = NextId("PAY"), Date = date, Amount = amount, InvoiceId = invoiceId });
        }
    }

    private static ContractLine Line(string id, decimal amount, DateOnly start, DateOnly end, string productLine) => new()
    {
        LineId = id,
        Amount = amount,
        Recognition = RecognitionPattern.Ratable,
        ServiceStart = start,
        ServiceEnd = end,
        ProductLine = productLine,
    };

    /// <summary>A price in USD terms, converted roughly into the currency and rounded like a price list would.</summary>
    private decimal Amount(Currency currency, decimal min, decimal max, decimal roundTo) => Amount(_random, currency, min, max, roundTo);

    private static decimal Amount(Random random, Currency currency, decimal min, decimal max, decimal roundTo)
    {
        var usd = min + ((max - min) * random.Next(0, 1_000_001) / 1_000_000m);
        var (rate, step) = currency.Code switch
        {
            "JPY" => (150m, roundTo * 100m),
            "EUR" => (0.92m, roundTo),
            "KWD" => (0.307m, 0.001m),
            _ => (1m, roundTo),
        };
        var amount = Math.Max(step, Math.Round(usd * rate / step, 0, MidpointRounding.AwayFromZero) * step);
        return currency.Round(amount);
    }

    private void Emit(ContractEvent e) => _events.Add(e);

    private string NextId(string prefix) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}_{_spec.Seed:x}_{++_sequence:x6}");

    private DateTimeOffset Instant(DateOnly date, int lateDays = 0) =>
        new DateTimeOffset(date.AddDays(lateDays).ToDateTime(new TimeOnly(8 + _random.Next(10), _random.Next(60), _random.Next(60))), TimeSpan.Zero);

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly FirstOfNextMonthOrToday(DateOnly day) => day.Day == 1 ? day : Period.Of(day).Next.FirstDay;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private enum Billing
    {
        Upfront,
        Annually,
        Quarterly,
        Monthly,
        InArrears,
        OnCompletion,
    }
}
