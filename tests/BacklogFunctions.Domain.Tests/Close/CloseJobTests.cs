using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Tests.Close;

public class CloseJobTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 4)]
    [InlineData(3, 16)]
    [InlineData(10, 1)]
    [InlineData(10, 3)]
    [InlineData(10, 4)]
    [InlineData(1000, 16)]
    public void Every_contract_id_falls_in_exactly_one_shard_and_shards_are_about_equal(int contracts, int shards)
    {
        var ids = Enumerable.Range(0, contracts).Select(i => $"C-{i * 7919 % 100_003:000000}").Order(StringComparer.Ordinal).ToList();
        var job = new CloseJob(new Period(2026, 10), 1, shards, DateTimeOffset.UnixEpoch, SnapshotOptions.Default, CloseJob.BoundariesOf(ids, shards));

        // Ids the job never saw (arriving during the close) belong somewhere too.
        string[] newcomers = ["", "A", "C-", "C-0500000", "Z", "\uffff"];
        foreach (var id in ids.Concat(newcomers))
        {
            var owners = Enumerable.Range(0, shards).Where(s =>
            {
                var (from, to) = job.RangeOf(s);
                return (from is null || string.CompareOrdinal(id, from) >= 0) && (to is null || string.CompareOrdinal(id, to) < 0);
            });
            Assert.Single(owners);
        }

        if (contracts >= shards)
        {
            var sizes = Enumerable.Range(0, shards).Select(s =>
            {
                var (from, to) = job.RangeOf(s);
                return ids.Count(id => (from is null || string.CompareOrdinal(id, from) >= 0) && (to is null || string.CompareOrdinal(id, to) < 0));
            }).ToList();
            Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
        }
    }
}
