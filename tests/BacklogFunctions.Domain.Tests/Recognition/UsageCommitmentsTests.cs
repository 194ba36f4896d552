using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Recognition;

/// <summary>
/// The money of usage lines (recognition.md, "Usage lines"): usage earned on its date with cumulative rounding,
/// the shortfall at the end of each commitment period, backlog as the commitments not yet consumed, usage beyond
/// commitments never backlog.
/// </summary>
public class UsageCommitmentsTests
{
    private static readonly Currency Usd = Currency.USD;

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void Stripes_metered_example_earns_15_in_january_with_no_backlog()
    {
        var line = new UsageCommitments(1.00m, D(2026, 1, 1), D(2026, 12, 31), null, Usd);
        Usage[] usages = [new(D(2026, 1, 20), 15m), new(D(2026, 2, 10), 17m)];

        Assert.Equal(15.00m, line.EarnedThrough(usages, D(2026, 1, 31)));
        Assert.Equal(17.00m, line.EarnedThrough(usages, D(2026, 2, 28)) - line.EarnedThrough(usages, D(2026, 1, 31)));
        Assert.Equal((0m, 0m), (line.Tcv, line.BacklogAt(usages, D(2026, 1, 31))));
        Assert.Equal(32.00m, line.BeyondCommitmentsThrough(usages, D(2026, 2, 28)));
    }

    [Theory]
    [InlineData("60", "40.00", "100.00", "0.00")] // a shortfall: earned on the period's last day
    [InlineData("100", "0.00", "100.00", "0.00")] // exact consumption
    [InlineData("130", "0.00", "130.00", "30.00")] // overage: revenue when used, never backlog
    public void A_monthly_commitment_earns_the_greater_of_usage_and_commitment(string quantity, string backlogMidMonth, string marchRevenue, string beyond)
    {
        var line = new UsageCommitments(1.00m, D(2026, 1, 1), D(2026, 12, 31), new Commitment(100m, CommitmentPer.Month), Usd);
        Usage[] usages = [new(D(2026, 3, 10), decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture))];
        var february = line.EarnedThrough(usages, D(2026, 2, 28));

        Assert.Equal(1200m, line.Tcv);
        Assert.Equal(decimal.Parse(backlogMidMonth, System.Globalization.CultureInfo.InvariantCulture) + (9 * 100m), line.BacklogAt(usages, D(2026, 3, 15)));
        Assert.Equal(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), line.EarnedThrough(usages, D(2026, 3, 30)) - february);
        Assert.Equal(decimal.Parse(marchRevenue, System.Globalization.CultureInfo.InvariantCulture), line.EarnedThrough(usages, D(2026, 3, 31)) - february);
        Assert.Equal(900m, line.BacklogAt(usages, D(2026, 3, 31)));
        Assert.Equal(decimal.Parse(beyond, System.Globalization.CultureInfo.InvariantCulture), line.BeyondCommitmentsThrough(usages, D(2026, 3, 31)));
    }

    [Fact]
    public void Usage_is_rounded_cumulatively_per_line()
    {
        var line = new UsageCommitments(0.333333m, D(2026, 1, 1), D(2026, 1, 31), null, Usd);
        Usage[] usages = [new(D(2026, 1, 1), 1m), new(D(2026, 1, 2), 1m), new(D(2026, 1, 3), 1m)];

        Assert.Equal([0.33m, 0.34m, 0.33m], line.EarnedByUsage(usages, D(2026, 1, 31)).Select(e => e.Amount));
        Assert.Equal(1.00m, line.EarnedThrough(usages, D(2026, 1, 31)));
    }

    [Fact]
    public void Yearly_commitments_count_from_the_service_start_across_a_leap_day()
    {
        var line = new UsageCommitments(2m, D(2024, 2, 29), D(2026, 2, 27), new Commitment(1000m, CommitmentPer.Year), Usd);

        Assert.Equal(
            [new CommitmentPeriod(D(2024, 2, 29), D(2025, 2, 27), 1000m), new CommitmentPeriod(D(2025, 2, 28), D(2026, 2, 27), 1000m)],
            line.Periods);
        Assert.Equal(2000m, line.Tcv);

        // A whole leap year: the unconsumed commitment is expected evenly over its 366 days.
        var leap = new UsageCommitments(1m, D(2024, 1, 1), D(2024, 12, 31), new Commitment(366m, CommitmentPer.Year), Usd);
        Assert.Equal(31m, leap.ExpectedThrough([], D(2023, 12, 31), D(2024, 1, 31)));
        Assert.Equal(60m, leap.ExpectedThrough([], D(2023, 12, 31), D(2024, 2, 29)));
        Assert.Equal(366m, leap.ExpectedThrough([], D(2023, 12, 31), D(2024, 12, 31)));
    }

    [Fact]
    public void Monthly_periods_keep_the_day_of_a_start_on_the_31st_and_the_last_one_ends_with_the_service()
    {
        var periods = UsageCommitments.PeriodsOf(D(2026, 1, 31), D(2026, 4, 15), new Commitment(10m, CommitmentPer.Month));

        Assert.Equal([(D(2026, 1, 31), D(2026, 2, 27)), (D(2026, 2, 28), D(2026, 3, 30)), (D(2026, 3, 31), D(2026, 4, 15))], periods.Select(p => (p.First, p.Last)));
    }

    [Fact]
    public void A_line_cancelled_mid_period_leaves_its_unconsumed_commitment_and_earns_no_shortfall()
    {
        var line = new UsageCommitments(1.00m, D(2026, 1, 1), D(2026, 12, 31), new Commitment(100m, CommitmentPer.Month), Usd);
        Usage[] usages = [new(D(2026, 3, 5), 30m)];
        var before = (Tcv: line.Tcv, Backlog: line.BacklogAt(usages, D(2026, 3, 15)));

        line.StopAfter(D(2026, 3, 15), usages);

        Assert.Equal((1200m, 970m), before);
        Assert.Equal(230m, line.Tcv); // January and February, and March as consumed
        Assert.Equal(0m, line.BacklogAt(usages, D(2026, 3, 15)));
        Assert.Equal(230m, line.EarnedThrough(usages, D(2026, 12, 31)));
        Assert.Equal(before.Backlog, before.Tcv - line.Tcv); // what leaves the TCV is exactly the backlog that was left
    }

    private static readonly Gen<(UsageCommitments Line, Usage[] Usages)> Lines =
        Gen.Select(
            Gen.Int[0, 3],
            Gen.Int[0, 500_000],
            Gen.Int[0, 20_000],
            Gen.Int[1, 700],
            Gen.Select(Gen.Int[-20, 760], Gen.Int[0, 5000], Gen.Int[0, 3]).Array[0, 40])
        .Select((per, price, committed, days, usages) =>
        {
            var start = D(2024, 1, 1).AddDays(days % 400);
            var end = start.AddDays(days);
            var commitment = per == 3 ? null : new Commitment(committed / 100m, (CommitmentPer)per);
            var line = new UsageCommitments(price / 1_000_000m * 100m, start, end, commitment, Usd);
            return (line, usages.Select(u => new Usage(start.AddDays(u.Item1), u.Item2 / (decimal)Math.Pow(10, u.Item3))).ToArray());
        });

    [Fact]
    public void Commitments_are_backlog_plus_what_was_earned_from_them_on_every_day() =>
        Lines.Sample(t =>
        {
            var (line, usages) = t;
            for (var day = line.ServiceStart.AddDays(-1); day <= line.ServiceEnd.AddDays(40); day = day.AddDays(7))
            {
                var earned = line.EarnedThrough(usages, day);
                var beyond = line.BeyondCommitmentsThrough(usages, day);
                Assert.Equal(line.Tcv, line.BacklogAt(usages, day) + earned - beyond);
                Assert.True(line.BacklogAt(usages, day) >= 0m && beyond >= 0m);
            }
        });

    [Fact]
    public void A_finished_line_earns_the_greater_of_commitment_and_usage_in_each_period_and_usage_order_changes_nothing() =>
        Lines.Sample(t =>
        {
            var (line, usages) = t;
            var after = line.ServiceEnd.AddDays(400);
            var earned = line.EarnedByUsage(usages, after);
            var inPeriods = line.Periods.Sum(p => earned.Where(e => e.Date >= p.First && e.Date <= p.Last).Sum(e => e.Amount));
            var expected = line.Periods.Sum(p => Math.Max(p.Committed, earned.Where(e => e.Date >= p.First && e.Date <= p.Last).Sum(e => e.Amount))) + (earned.Sum(e => e.Amount) - inPeriods);

            Assert.Equal(expected, line.EarnedThrough(usages, after));
            Assert.Equal(0m, line.BacklogAt(usages, after));
            Assert.Equal(line.EarnedThrough(usages, after), line.EarnedThrough([.. usages.Reverse()], after));
            Assert.Equal(line.Tcv, line.ExpectedThrough(usages, line.ServiceStart.AddDays(-1), line.ServiceEnd) + line.EarnedThrough(usages, line.ServiceStart.AddDays(-1)) - line.BeyondCommitmentsThrough(usages, line.ServiceStart.AddDays(-1)));
        });

    [Fact]
    public void The_ledger_gives_what_each_usage_earns_on_its_date_summed_over_any_range_of_days() =>
        Lines.Sample(
            t =>
            {
                var (line, usages) = t;

                // Straight from the rule: usages in date order (a day's in the order reported), each earning
                // round(Σ quantity so far × price) less the same before it.
                var byUsage = new List<(DateOnly Date, decimal Amount)>();
                var quantity = 0m;
                foreach (var usage in usages.OrderBy(u => u.Date))
                {
                    var before = Usd.Round(quantity * line.UnitPrice);
                    quantity += usage.Quantity;
                    byUsage.Add((usage.Date, Usd.Round(quantity * line.UnitPrice) - before));
                }

                var ledger = line.Ledger(usages);
                for (var from = line.ServiceStart.AddDays(-25); from <= line.ServiceEnd.AddDays(25); from = from.AddDays(11))
                {
                    foreach (var length in (int[])[0, 1, 9, 30, 400])
                    {
                        var to = from.AddDays(length);
                        Assert.Equal(byUsage.Where(u => u.Date >= from && u.Date <= to).Sum(u => u.Amount), ledger.EarnedBetween(from, to));
                    }

                    Assert.Equal(byUsage.Where(u => u.Date <= from).Sum(u => u.Amount), ledger.EarnedThrough(from));
                    Assert.Equal(byUsage.Where(u => u.Date <= from), ledger.EarnedByUsage(from));
                }
            });
}
