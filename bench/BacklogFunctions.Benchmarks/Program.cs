using BacklogFunctions.Benchmarks;

// bench snapshots [...]  — snapshot throughput of the revenue engine (docs/performance.md)
// bench ingest [...]     — ingest throughput into Azurite through HTTP and the queue, against bare Table inserts
// bench close [...]      — close of one month against a bare scan of the same events
// bench report [...]     — board pack and contract CSV against bare Skia / CsvHelper writes
return args.FirstOrDefault() switch
{
    "snapshots" => SnapshotBenchmark.Run(args[1..]),
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    "queue-probe" => await IngestBenchmark.ProbeQueueAsync(),
    "close" => await CloseBenchmark.RunAsync(args[1..]),
    "report" => ReportBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench snapshots [--contracts N] [--months M] [--seed S] [--baseline-months K] [--runs R] [--projects-and-usage] | bench ingest [--events N] [--batch N] | bench close [--contracts N] [--months M] | bench report [--contracts N] [--rows N] [--png FILE]");
    return 1;
}
