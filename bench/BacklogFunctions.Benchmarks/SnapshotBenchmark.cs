using System.Diagnostics;
using System.Globalization;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Benchmarks;

/// <summary>
/// Snapshot throughput on generated data, single-threaded, with the per-period computation of the last K months
/// measured as the baseline in the same run, and the series measured R times (the median is the figure). With <c>--projects-and-usage</c> the same run also measures the sample with its project
/// and usage businesses (recognition.md) beside the usual contracts alone.
/// Arguments: [--contracts N] [--months M] [--seed S] [--baseline-months K] [--runs R] [--projects-and-usage]
/// </summary>
internal static class SnapshotBenchmark
{
    private const double Target = 5_000_000;

    public static int Run(string[] args)
    {
        var contracts = Arg("--contracts", 10_000);
        var months = Arg("--months", 36);
        var seed = Arg("--seed", 1);
        var baselineMonths = Arg("--baseline-months", months);
        var withProjectsAndUsage = args.Contains("--projects-and-usage");
        var runs = Arg("--runs", 3);

        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"Snapshot throughput: {contracts:N0} contracts × {months} monthly snapshots, seed {seed}, one thread"));
        Console.WriteLine(string.Create(culture, $".NET {Environment.Version}, {Environment.ProcessorCount} logical cores, {(Debugger.IsAttached ? "debugger" : "no debugger")}, server GC {System.Runtime.GCSettings.IsServerGC}"));

        var spec = new SampleSpec(contracts, months, seed, SampleSpec.DefaultStart);
        var usual = Histories(spec);
        var mixed = withProjectsAndUsage ? Histories(spec with { ProjectsAndUsage = true }) : null;

        var first = spec.Start;
        var last = spec.Start.AddMonths(months - 1);
        var calculator = new SnapshotCalculator(SnapshotOptions.Default);

        // Warm-up on a slice of each, long enough for the tiered JIT to finish optimizing the engine: what is
        // measured is the engine as a running host executes it, not its first minute.
        var warmUp = Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            calculator.Series(usual.Take(2_000), first, last);
            if (mixed is not null)
            {
                calculator.Series(mixed.Where(h => !h.ContractId.StartsWith("C-", StringComparison.Ordinal)).Take(500), first, last);
            }
        }

        Console.WriteLine(string.Create(culture, $"warm-up {warmUp.Elapsed.TotalSeconds:F1} s"));

        // Baseline: each month computed on its own (three replays per contract-month), on the last few months,
        // where every contract of the sample is signed.
        GC.Collect();
        var clock = Stopwatch.StartNew();
        for (var p = last.AddMonths(1 - baselineMonths); p <= last; p = p.Next)
        {
            calculator.ForPeriod(usual, p, includeContracts: false);
        }

        var baselineRate = contracts * (double)baselineMonths / clock.Elapsed.TotalMinutes;

        // The two samples alternate, so a change of the machine's speed during the run shows in both.
        var plainRuns = new List<Result>();
        var extraRuns = new List<Result>();
        for (var run = 0; run < runs; run++)
        {
            plainRuns.Add(Measure(usual));
            if (mixed is not null)
            {
                extraRuns.Add(Measure(mixed));
            }
        }

        var plain = Median(plainRuns);
        var extra = mixed is null ? null : Median(extraRuns);

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine();
        Console.WriteLine("| method | contract-months | seconds | contract-month snapshots per minute | allocated |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(culture, $"| baseline: each month on its own (ForPeriod × {baselineMonths}), usual contracts | {contracts * baselineMonths:N0} | {contracts * baselineMonths / (baselineRate / 60):F2} | {baselineRate:N0} | |"));
        for (var run = 0; run < runs; run++)
        {
            Row(string.Create(culture, $"Series, usual contracts, run {run + 1}"), plainRuns[run]);
            if (mixed is not null)
            {
                Row(string.Create(culture, $"Series, with projects and usage ({mixed.Count - usual.Count:N0} more contracts), run {run + 1}"), extraRuns[run]);
            }
        }

        var measured = extra ?? plain;
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"target ≥ {Target:N0} per minute{(extra is null ? string.Empty : " with projects and usage")}: {(measured.Rate >= Target ? "met" : "NOT met")} (median of {runs}: {measured.Rate:N0}, {measured.Rate / Target:F2}×); usual contracts {plain.Rate / baselineRate:F1}× the baseline"));
        if (extra is not null)
        {
            Console.WriteLine(string.Create(culture, $"with projects and usage against the usual contracts alone: {extra.Rate / plain.Rate:F3}× the rate (medians)"));
        }

        Console.WriteLine(string.Create(culture, $"peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB"));
        return 0;

        Result Measure(IReadOnlyList<ContractHistory> histories)
        {
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var series = calculator.Series(histories, first, last);
            var elapsed = watch.Elapsed;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var ties = series.All(s => s.Totals.All(t => t.Figures.BacklogRollForwardDifference == 0m && t.Figures.NetContractPositionRollForwardDifference == 0m));
            if (!ties)
            {
                throw new InvalidOperationException("A roll-forward does not tie; the measurement is not of a correct engine.");
            }

            return new Result(histories.Count * (long)months, elapsed, allocated, histories.Count * (double)months / elapsed.TotalMinutes);
        }

        static Result Median(List<Result> results) => results.OrderBy(r => r.Rate).ElementAt(results.Count / 2);

        void Row(string label, Result r) =>
            Console.WriteLine(string.Create(culture, $"| {label} | {r.ContractMonths:N0} | {r.Elapsed.TotalSeconds:F2} | {r.Rate:N0} | {r.Allocated / 1024.0 / 1024.0:N0} MiB |"));

        int Arg(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }
    }

    private static List<ContractHistory> Histories(SampleSpec spec)
    {
        var clock = Stopwatch.StartNew();
        var events = SampleGenerator.Generate(spec);
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {events.Count:N0} events of {histories.Count:N0} contracts{(spec.ProjectsAndUsage ? " (with projects and usage)" : string.Empty)} in {clock.Elapsed.TotalSeconds:F1} s"));
        return histories;
    }

    private sealed record Result(long ContractMonths, TimeSpan Elapsed, long Allocated, double Rate);
}
