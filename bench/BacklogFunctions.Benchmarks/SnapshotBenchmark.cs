using System.Diagnostics;
using System.Globalization;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Benchmarks;

/// <summary>
/// Snapshot throughput on generated data, single-threaded, with the per-period computation measured as the
/// baseline in the same run. Arguments: [--contracts N] [--months M] [--seed S] [--baseline-months K]
/// </summary>
internal static class SnapshotBenchmark
{
    public static int Run(string[] args)
    {
        var contracts = Arg("--contracts", 10_000);
        var months = Arg("--months", 36);
        var seed = Arg("--seed", 1);
        var baselineMonths = Arg("--baseline-months", months);

        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"Snapshot throughput: {contracts:N0} contracts × {months} monthly snapshots, seed {seed}, one thread"));
        Console.WriteLine(string.Create(culture, $".NET {Environment.Version}, {Environment.ProcessorCount} logical cores, {(Debugger.IsAttached ? "debugger" : "no debugger")}, server GC {System.Runtime.GCSettings.IsServerGC}"));

        var spec = new SampleSpec(contracts, months, seed, SampleSpec.DefaultStart);
        var clock = Stopwatch.StartNew();
        var events = SampleGenerator.Generate(spec);
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
        Console.WriteLine(string.Create(culture, $"generated {events.Count:N0} events in {clock.Elapsed.TotalSeconds:F1} s"));

        var first = spec.Start;
        var last = spec.Start.AddMonths(months - 1);
        var calculator = new SnapshotCalculator(SnapshotOptions.Default);

        // Warm-up on a slice, so the JIT is not measured.
        calculator.Series(histories.Take(200), first, last);

        // Baseline: each month computed on its own (three replays per contract-month), on a few months.
        var baselineLast = first.AddMonths(baselineMonths - 1);
        GC.Collect();
        clock.Restart();
        for (var p = first; p <= baselineLast; p = p.Next)
        {
            calculator.ForPeriod(histories, p, includeContracts: false);
        }

        var baselineRate = contracts * (double)baselineMonths / clock.Elapsed.TotalMinutes;

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        var series = calculator.Series(histories, first, last);
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var rate = contracts * (double)months / elapsed.TotalMinutes;

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine();
        Console.WriteLine("| method | contract-months | seconds | contract-month snapshots per minute |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(culture, $"| baseline: each month on its own (ForPeriod × {baselineMonths}) | {contracts * baselineMonths:N0} | {contracts * baselineMonths / (baselineRate / 60):F2} | {baselineRate:N0} |"));
        Console.WriteLine(string.Create(culture, $"| Series (one replay per contract per month end) | {contracts * months:N0} | {elapsed.TotalSeconds:F2} | {rate:N0} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"target ≥ 1,000,000 per minute: {(rate >= 1_000_000 ? "met" : "NOT met")} ({rate / 1_000_000:F2}×); speed-up over baseline {rate / baselineRate:F1}×"));
        Console.WriteLine(string.Create(culture, $"peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB; allocated during the series {allocated / 1024.0 / 1024.0:N0} MiB"));
        Console.WriteLine(string.Create(culture, $"check: {series.Count} snapshots, {series[^1].Totals.Count} currencies, roll-forwards tie: {series.All(s => s.Totals.All(t => t.Figures.BacklogRollForwardDifference == 0m && t.Figures.NetContractPositionRollForwardDifference == 0m))}"));
        return 0;

        int Arg(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }
    }
}
