using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Domain.Tests.Snapshots;

/// <summary>A month has ended when its last day is over in the reporting time zone, not in UTC.</summary>
public class ReportingCalendarTests
{
    [Theory]
    [InlineData("UTC", "2026-01-31T23:30:00Z", "2026-01-31")]
    [InlineData("Pacific/Auckland", "2026-01-31T11:30:00Z", "2026-02-01")] // 00:30 on 1 February in New Zealand
    [InlineData("America/Los_Angeles", "2026-02-01T05:00:00Z", "2026-01-31")] // still 31 January, 21:00
    [InlineData("Europe/Berlin", "2026-03-31T22:30:00Z", "2026-04-01")] // summer time: UTC+2
    public void Today_follows_the_reporting_time_zone(string zone, string utc, string today)
    {
        var settings = new CloseSettings(SnapshotOptions.Default, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), settings.Today(clock));
    }
}
