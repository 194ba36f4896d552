using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Tests.Snapshots;

public class PeriodTests
{
    [Theory]
    [InlineData(2026, 0)]
    [InlineData(2026, 13)]
    [InlineData(2026, -1)]
    [InlineData(0, 6)]
    [InlineData(10000, 1)]
    public void A_month_outside_the_calendar_cannot_be_made(int year, int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Period(year, month));

    [Theory]
    [InlineData(2026, 12, 1, 2027, 1)]
    [InlineData(2026, 1, -1, 2025, 12)]
    [InlineData(2024, 2, 24, 2026, 2)]
    [InlineData(2024, 2, -26, 2021, 12)]
    public void Adding_months_crosses_years(int year, int month, int months, int expectedYear, int expectedMonth)
    {
        var period = new Period(year, month).AddMonths(months);

        Assert.Equal(new Period(expectedYear, expectedMonth), period);
        Assert.Equal(months, period.MonthsSince(new Period(year, month)));
    }

    [Fact]
    public void A_period_deconstructs_and_prints_as_yyyy_MM()
    {
        var (year, month) = new Period(2026, 3);

        Assert.Equal((2026, 3), (year, month));
        Assert.Equal("2026-03", new Period(2026, 3).ToString());
        Assert.Equal(new Period(2026, 3), Period.Parse("2026-03"));
    }
}
