using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Sample;

/// <summary>
/// The project and usage businesses of <see cref="SampleSpec.ProjectsAndUsage"/> (recognition.md): fixed-price
/// projects earned by progress on cost with monthly cost reports, and metered contracts with monthly commitments
/// and monthly usage reports. They draw from their own random sequence, after the usual contracts.
/// </summary>
public sealed partial class SampleGenerator
{
    private static readonly Currency[] ProjectCurrencies = [Currency.USD, Currency.EUR, Currency.USD, Currency.JPY, Currency.KWD];

    private Random? _extra;

    private Random Extra => _extra ??= new Random(unchecked((_spec.Seed * 131) + 29));

    /// <summary>
    /// Projects in blocks of <see cref="ProjectBlock"/>: each block has exactly one loss contract and one revised
    /// estimate. A small company has 3 to 5 projects and 3 to 5 metered contracts; from 100 usual contracts on,
    /// each business has one contract per <see cref="ContractsPerExtra"/> usual ones, so a large sample exercises
    /// both kinds as a real share of its contracts.
    /// </summary>
    private const int ProjectBlock = 20;

    private const int ContractsPerExtra = 20;

    private void CreateProjectsAndUsage()
    {
        var projects = Math.Max(3 + Extra.Next(3), _spec.Contracts / ContractsPerExtra);
        for (var first = 0; first < projects; first += ProjectBlock)
        {
            var block = Math.Min(projects - first, ProjectBlock);
            var loss = Extra.Next(block);
            var revised = (loss + 1 + Extra.Next(block - 1)) % block;
            for (var k = 0; k < block; k++)
            {
                CreateProject(Id("P", first + k + 1), first + k, loss: k == loss, revise: k == revised);
            }
        }

        var usage = Math.Max(3 + Extra.Next(3), _spec.Contracts / ContractsPerExtra);
        for (var i = 0; i < usage; i++)
        {
            CreateUsageContract(Id("U", i + 1), i);
        }
    }

    private static string Id(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:000000}");

    private Customer NewCustomer(string segment)
    {
        var n = ++_customerCount;
        return new Customer(string.Create(CultureInfo.InvariantCulture, $"CUST-{n:00000}"), CustomerName(n), segment, Regions[Extra.Next(Regions.Length)]);
    }

    /// <summary>
    /// A fixed-price project earned by progress on cost, reported at each month end; every other project also
    /// delivers equipment whose control passes on delivery (IFRS 15 Ex 19), a point-in-time line of its own.
    /// Invoiced a quarter of the price as the work passes 25%, 50%, 75% and 100%.
    /// </summary>
    private void CreateProject(string contractId, int index, bool loss, bool revise)
    {
        var currency = ProjectCurrencies[Extra.Next(ProjectCurrencies.Length)];
        var spanDays = _spec.LastDay.DayNumber - _spec.FirstDay.DayNumber + 1;
        // The first block signs in the sample's first quarter, so its projects finish inside the sample; later ones
        // sign over its first three quarters.
        var signed = _spec.FirstDay.AddDays(Extra.Next(Math.Max(1, spanDays * (index < ProjectBlock ? 1 : 3) / 4)));
        var first = Period.Of(signed);
        var monthsLeft = ((_spec.LastDay.Year - signed.Year) * 12) + _spec.LastDay.Month - signed.Month + 1;

        // A loss contract runs beyond the sample (it is still open, so still flagged, at the end).
        var months = loss ? monthsLeft + 3 + Extra.Next(4) : 6 + Extra.Next(10);
        var amount = Amount(Extra, currency, 400_000m, 3_000_000m, 1000m);
        var ratio = loss ? 1.04m + (Extra.Next(9) / 100m) : 0.72m + (Extra.Next(14) / 100m);
        var estimate = Math.Round(amount * ratio, 0, MidpointRounding.AwayFromZero);
        var completion = first.AddMonths(months - 1).LastDay;
        var lines = new List<ContractLine>
        {
            new()
            {
                LineId = "G1",
                Amount = amount,
                Recognition = RecognitionPattern.Progress,
                Measure = ProgressMeasure.Cost,
                EstimatedTotal = estimate,
                ExpectedCompletion = completion,
                ProductLine = "Projects",
                Description = loss ? "Fixed-price build (overrunning)" : "Fixed-price build",
            },
        };
        if (index % 2 == 0)
        {
            lines.Add(new ContractLine
            {
                LineId = "E1",
                Amount = currency.Round(Amount(Extra, currency, 100_000m, 600_000m, 1000m)),
                Recognition = RecognitionPattern.PointInTime,
                ExpectedDate = signed.AddDays(60 + Extra.Next(90)),
                ProductLine = "Equipment",
                Description = "Equipment delivered before installation",
            });
        }

        Sign(contractId, signed, currency, segments: 2, () => "direct", paymentTermsDays: 45, lines);

        if (lines.Count > 1 && lines[1].ExpectedDate!.Value <= _spec.LastDay)
        {
            var delivered = lines[1].ExpectedDate!.Value;
            Emit(new DeliveryCompleted { Id = NextId("evt"), Source = "ops", OccurredAt = ExtraInstant(delivered), ContractId = contractId, LineId = "E1", Date = delivered });
            Invoice(contractId, currency, delivered, lines[1].Amount);
        }

        // Month-end cost reports: the planned share of the work done, a little ahead or behind plan.
        var reports = Enumerable.Range(0, months).Select(k => first.AddMonths(k).LastDay).Where(d => d <= _spec.LastDay).ToList();
        var revisedAt = revise && reports.Count > 0 ? reports.Count / 2 : -1;
        decimal share = 0m, toDate = 0m, billedShare = 0m, billed = 0m;
        for (var k = 0; k < reports.Count; k++)
        {
            share = k == months - 1 ? 1m : Math.Max(share, Math.Min(0.98m, (k + 1m) / months * (0.9m + (Extra.Next(21) / 100m))));
            decimal? revision = null;
            if (k == revisedAt)
            {
                // The costs incurred are what they are; the estimate to complete goes up.
                estimate = Math.Round(estimate * (1.06m + (Extra.Next(7) / 100m)), 0, MidpointRounding.AwayFromZero);
                revision = estimate;
            }

            toDate = Math.Max(toDate, k == revisedAt ? toDate : Math.Round(estimate * share, 0, MidpointRounding.AwayFromZero));
            Emit(new ProgressReported { Id = NextId("evt"), Source = "ops", OccurredAt = ExtraInstant(reports[k], lateDays: Extra.Next(4)), ContractId = contractId, LineId = "G1", Date = reports[k], ToDate = toDate, EstimatedTotal = revision });

            var progress = toDate / estimate;
            var milestone = Math.Floor(progress * 4m) / 4m;
            if (milestone > billedShare)
            {
                billedShare = milestone;
                var invoiced = milestone == 1m ? amount - billed : currency.Round(amount * milestone) - billed;
                billed += invoiced;
                Invoice(contractId, currency, reports[k], invoiced);
            }
        }
    }

    /// <summary>
    /// A metered contract: a unit price and a monthly take-or-pay commitment for a year or two; usage reported at
    /// each month end, some months under the commitment and some over, invoiced the next day for what was used or
    /// the commitment, whichever is more.
    /// </summary>
    private void CreateUsageContract(string contractId, int index)
    {
        var currency = ProjectCurrencies[Extra.Next(3)];
        var start = _spec.FirstDay.AddMonths(Extra.Next(Math.Max(1, _spec.Months / 2)));
        var end = start.AddMonths(12 * (1 + Extra.Next(2))).AddDays(-1);
        var (rate, product, description) = Extra.Next(3) switch
        {
            0 => (0.000125m, "API Platform", "API calls"),
            1 => (0.023m, "Storage", "GB-months stored"),
            _ => (0.42m, "Compute", "vCPU-hours"),
        };
        var fx = currency.Code switch { "EUR" => 0.92m, "JPY" => 150m, _ => 1m };
        var unitPrice = Math.Round(rate * fx, 6, MidpointRounding.AwayFromZero);
        var commitment = new Commitment(Amount(Extra, currency, 2_000m, 40_000m, 100m), CommitmentPer.Month);
        var line = new ContractLine
        {
            LineId = "U1",
            Amount = UsageCommitments.PeriodsOf(start, end, commitment).Sum(p => p.Committed),
            Recognition = RecognitionPattern.Usage,
            ServiceStart = start,
            ServiceEnd = end,
            UnitPrice = unitPrice,
            Commitment = commitment,
            ProductLine = product,
            Description = description,
        };
        var signed = start.AddDays(-Extra.Next(0, 10));
        signed = signed < _spec.FirstDay ? _spec.FirstDay : signed;
        Sign(contractId, signed, currency, segments: Segments.Length, () => Channels[Extra.Next(Channels.Length)], paymentTermsDays: 30, [line]);

        var cumulative = 0m;
        var month = 0;
        for (var day = Period.Of(start).LastDay; day <= end && day <= _spec.LastDay; day = Period.Of(day).Next.LastDay, month++)
        {
            // The first contract is under its commitment in its first month and over in its second; then by chance.
            var under = index == 0 && month < 2 ? month == 0 : Extra.Next(100) < 40;
            var factor = under ? 0.55m + (Extra.Next(36) / 100m) : 1.05m + (Extra.Next(41) / 100m);
            var quantity = Math.Round(commitment.Amount / unitPrice * factor, 0, MidpointRounding.AwayFromZero);
            var before = currency.Round(cumulative * unitPrice);
            cumulative += quantity;
            Emit(new UsageReported
            {
                Id = NextId("evt"),
                Source = "metering",
                OccurredAt = ExtraInstant(day, lateDays: Extra.Next(2)),
                ContractId = contractId,
                LineId = "U1",
                Date = day,
                Quantity = quantity,
                UsageId = string.Create(CultureInfo.InvariantCulture, $"U1-{day:yyyy-MM-dd}"),
            });

            // Take or pay: the month is invoiced at what was used, and at least at the commitment.
            var invoiceDate = day.AddDays(1);
            var consumed = currency.Round(cumulative * unitPrice) - before;
            if (invoiceDate <= _spec.LastDay)
            {
                Invoice(contractId, currency, invoiceDate, Math.Max(consumed, commitment.Amount));
            }
        }
    }

    /// <summary>
    /// The signing of a project or metered contract, for a new customer in one of the first <paramref name="segments"/>
    /// segments. The random draws come in a fixed order (time, customer, owner, channel), so a seed gives the same
    /// company.
    /// </summary>
    private void Sign(string contractId, DateOnly signed, Currency currency, int segments, Func<string> channel, int paymentTermsDays, List<ContractLine> lines)
    {
        var occurredAt = ExtraInstant(signed);
        var customer = NewCustomer(Segments[Extra.Next(segments)]);
        var owner = Owners[Extra.Next(Owners.Length)];
        Emit(new ContractSigned
        {
            Id = NextId("evt"),
            Source = "billing-main",
            OccurredAt = occurredAt,
            ContractId = contractId,
            SignedDate = signed,
            Currency = currency,
            Customer = customer,
            SalesOwner = owner,
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["channel"] = channel() },
            PaymentTermsDays = paymentTermsDays,
            Lines = lines,
        });
    }

    /// <summary>An invoice, paid 15 to 60 days later when that is inside the sample.</summary>
    private void Invoice(string contractId, Currency currency, DateOnly date, decimal amount)
    {
        if (amount <= 0m || date > _spec.LastDay)
        {
            return;
        }

        var invoiceId = NextId("INV");
        Emit(new InvoiceIssued { Id = NextId("evt"), Source = "billing-main", OccurredAt = ExtraInstant(date), ContractId = contractId, InvoiceId = invoiceId, IssueDate = date, Amount = currency.Round(amount), DueDate = date.AddDays(30) });
        var paid = date.AddDays(15 + Extra.Next(46));
        if (paid <= _spec.LastDay)
        {
            Emit(new PaymentReceived { Id = NextId("evt"), Source = "payments", OccurredAt = ExtraInstant(paid), ContractId = contractId, PaymentId = NextId("PAY"), Date = paid, Amount = currency.Round(amount), InvoiceId = invoiceId });
        }
    }

    private DateTimeOffset ExtraInstant(DateOnly date, int lateDays = 0) =>
        new(date.AddDays(lateDays).ToDateTime(new TimeOnly(8 + Extra.Next(10), Extra.Next(60), Extra.Next(60))), TimeSpan.Zero);
}
