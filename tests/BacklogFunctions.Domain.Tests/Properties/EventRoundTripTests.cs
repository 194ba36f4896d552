using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Properties;

/// <summary>
/// Writing an event and reading it back is the identity, through the webhook's reader (schema, records, domain)
/// and through the store's: for generated companies whose lines carry random billing plans and payment terms.
/// </summary>
public class EventRoundTripTests
{
    private static readonly BillingFrequency[] Periodic = [BillingFrequency.Upfront, BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Semiannual, BillingFrequency.Annual];
    private static readonly BillingFrequency[] OnEvent = [BillingFrequency.Upfront, BillingFrequency.OnDelivery];

    [Fact]
    public void Written_events_read_back_to_the_same_content()
    {
        Gen.Int[1, 1_000_000].Sample(
            seed =>
            {
                var random = new Random(seed);
                var events = SampleGenerator.Generate(new SampleSpec(12, 24, seed, SampleSpec.DefaultStart));
                var currencies = events.OfType<ContractSigned>().ToDictionary(s => s.ContractId, s => s.Currency, StringComparer.Ordinal);
                foreach (var original in events)
                {
                    var currency = currencies[original.ContractId];
                    var e = WithPlans(original, currency, random);
                    var json = EventJson.Write(e, currency);

                    var read = EventReader.Parse(json, currency);
                    var stored = EventJson.ReadStored(json);

                    Assert.True(read.IsValid, $"{json}: {string.Join("; ", read.Errors)}");
                    Assert.Equal(EventJson.Canonical(e), EventJson.Canonical(read.Event!));
                    Assert.Equal(EventJson.Canonical(e), EventJson.Canonical(stored.Event!));
                    Assert.Equal(e.BusinessDate, read.Event!.BusinessDate);
                    Assert.Equal(e.EffectiveDate, read.Event.EffectiveDate);
                    Assert.Equal(Plans(e), Plans(read.Event));
                    Assert.Equal(Plans(e), Plans(stored.Event!));
                }
            },
            iter: 20);
    }

    /// <summary>Everything v2 adds to an event, as comparable text.</summary>
    private static string Plans(ContractEvent e)
    {
        var (terms, lines) = e switch
        {
            ContractSigned s => (s.PaymentTermsDays, s.Lines),
            ContractAmended a => (-1, a.Lines),
            _ => (-1, (IReadOnlyList<ContractLine>)[]),
        };
        return $"{terms}: " + string.Join("; ", lines.Select(l => l.Billing is not { } b ? "none" : $"{b.Frequency}/{b.Timing}/{string.Join(",", b.Schedule)}"));
    }

    private static ContractEvent WithPlans(ContractEvent e, Currency currency, Random random) => e switch
    {
        ContractSigned s => s with { Lines = [.. s.Lines.Select(l => WithPlan(l, currency, random))], PaymentTermsDays = random.Next(4) switch { 0 => 0, 1 => 30, 2 => 45, _ => random.Next(0, 366) } },
        ContractAmended a => a with { Lines = [.. a.Lines.Select(l => WithPlan(l, currency, random))] },
        _ => e,
    };

    private static ContractLine WithPlan(ContractLine line, Currency currency, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                return line;
            case 1:
                var parts = random.Next(1, 6);
                var unit = 1m / (decimal)Math.Pow(10, currency.MinorUnit);
                var part = Math.Floor(line.Amount / parts / unit) * unit;
                var day = line.ServiceStart ?? line.ExpectedDate ?? line.Milestones[0].ExpectedDate;
                var schedule = Enumerable.Range(0, parts)
                    .Select(i => new BillingInstallment(day.AddMonths(i), i < parts - 1 ? part : line.Amount - (part * (parts - 1))))
                    .ToList();
                return line with { Billing = new BillingPlan { Frequency = null, Schedule = schedule } };
            default:
                var frequencies = line.Recognition == RecognitionPattern.Ratable ? Periodic : OnEvent;
                var frequency = frequencies[random.Next(frequencies.Length)];
                var timing = line.Recognition == RecognitionPattern.Ratable && frequency != BillingFrequency.Upfront && random.Next(2) == 0 ? BillingTiming.Arrears : BillingTiming.Advance;
                return line with { Billing = new BillingPlan { Frequency = frequency, Timing = timing } };
        }
    }
}
