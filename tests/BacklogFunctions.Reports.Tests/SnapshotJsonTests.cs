using System.Text;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Reports.Tests;

/// <summary>
/// The JSON documents of a small fixed company, byte for byte: the stored snapshot document (totals and waterfalls),
/// the snapshot with its contracts (<c>backlog snapshot --format json</c>) on the collected basis, as of a day
/// inside a month, and the waterfall document of a day and of a period. BACKLOG_UPDATE_GOLDEN=1 rewrites them.
/// </summary>
public class SnapshotJsonTests
{
    private static readonly Period February = new(2025, 2);

    public static TheoryData<string> Names() => ["snapshot.json", "snapshot-contracts-collected.json", "snapshot-as-of.json", "waterfalls.json", "waterfalls-period.json", "snapshot-text-and-nulls.json"];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_small_fixed_company_writes_exactly_the_golden_documents(string name)
    {
        var histories = SampleGenerator.Generate(new SampleSpec(6, 14, 7, SampleSpec.DefaultStart))
            .GroupBy(e => e.ContractId)
            .Select(g => ContractHistory.Create(g.Key, g))
            .OrderBy(h => h.ContractId, StringComparer.Ordinal)
            .ToList();
        var billed = new SnapshotCalculator(SnapshotOptions.Default);
        var collected = new SnapshotCalculator(new SnapshotOptions { DeferredBasis = DeferredBasis.Collected, Proration = ProrationPolicy.Monthly });
        var asOf = new DateOnly(2025, 2, 17);
        using var buffer = new MemoryStream();
        switch (name)
        {
            case "snapshot.json":
                SnapshotJson.Write(buffer, billed.ForPeriod(histories, February, includeContracts: false) with { Waterfalls = billed.Waterfall(histories, February.LastDay) });
                break;
            case "snapshot-contracts-collected.json":
                SnapshotJson.Write(buffer, collected.ForPeriod(histories, February));
                break;
            case "snapshot-as-of.json":
                SnapshotJson.Write(buffer, billed.AsOf(histories, asOf));
                break;
            case "snapshot-text-and-nulls.json":
                var snapshot = billed.ForPeriod(histories, February);
                var odd = snapshot.Contracts[0] with
                {
                    Customer = new Customer("CUST-\u00e9", "Caf\u00e9 \"\u00d1and\u00fa\" <b>&</b> \ud83d\ude00 \u0000", null, null),
                    SalesOwner = null,
                    Attributes = new Dictionary<string, string>(),
                    Lines = [.. snapshot.Contracts[0].Lines.Select(l => l with { ProductLine = null })],
                };
                SnapshotJson.Write(buffer, snapshot with { Contracts = [odd, .. snapshot.Contracts.Skip(1)] });
                break;
            case "waterfalls.json":
                SnapshotJson.Write(buffer, asOf, null, billed.Waterfall(histories, asOf, months: 6));
                break;
            default:
                SnapshotJson.Write(buffer, February.LastDay, February, billed.Waterfall(histories, February.LastDay));
                break;
        }

        var golden = Path.Combine(Testing.Repository.Root, "tests", "BacklogFunctions.Reports.Tests", "golden", name);
        if (Environment.GetEnvironmentVariable("BACKLOG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(golden, buffer.ToArray());
        }

        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(golden)), Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
