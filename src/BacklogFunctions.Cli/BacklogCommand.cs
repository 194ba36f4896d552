using System.CommandLine;
using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Journal;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Cli;

/// <summary>
/// The <c>backlog</c> command: sample events, snapshots and waterfalls from NDJSON with no storage at all, and
/// <c>send</c>, which delivers an event file to the signed webhook.
/// </summary>
public static class BacklogCommand
{
    public const int InvalidEvents = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress) =>
        Run(args, stdout, stderr, stdin, showProgress, Environment.GetEnvironmentVariable, TimeProvider.System);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress, Func<string, string?> environment, TimeProvider clock)
    {
        var root = new RootCommand("backlog — revenue backlog, deferred revenue and RPO from billing events (offline).");
        root.Subcommands.Add(SampleCommand(stdout, stderr));
        root.Subcommands.Add(SnapshotCommand(stdout, stderr, stdin, showProgress));
        root.Subcommands.Add(WaterfallCommand(stdout, stderr, stdin, showProgress));
        root.Subcommands.Add(ForecastCommand(stdout, stderr, stdin, showProgress));
        root.Subcommands.Add(JournalCommand(stdout, stderr, stdin, showProgress));
        root.Subcommands.Add(ExplainCommand(stdout, stderr, stdin, showProgress));
        root.Subcommands.Add(SendCommand.Create(stdout, stderr, environment, clock));
        root.Subcommands.Add(PeriodsCommand.Create(stdout, stderr, environment));
        root.Subcommands.Add(FxCommand.Create(stdout, stderr, environment));
        root.Subcommands.Add(TargetsCommand.Create(stdout, stderr, environment));
        root.Subcommands.Add(AlertsCommand.Create(stdout, stderr, environment));
        root.Subcommands.Add(ServiceBus.DeadLettersCommand.Create(stdout, stderr, environment));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command SampleCommand(TextWriter stdout, TextWriter stderr)
    {
        var contracts = new Option<int>("--contracts") { Description = "How many contracts.", DefaultValueFactory = _ => 200 };
        var months = new Option<int>("--months") { Description = "How many months of history.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "The same seed always gives the same events.", DefaultValueFactory = _ => 1 };
        var start = new Option<string>("--start") { Description = "First month (yyyy-MM).", DefaultValueFactory = _ => SampleSpec.DefaultStart.ToString() };
        contracts.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 1_000_000) { r.AddError("--contracts must be 0 to 1,000,000"); } });
        months.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 240) { r.AddError("--months must be 1 to 240"); } });
        start.Validators.Add(r => { if (!Period.TryParse(r.GetValueOrDefault<string>(), out _)) { r.AddError("--start must be a month such as 2024-01"); } });

        var fxRates = new Option<string?>("--fx-rates") { Description = "Also write the sample's daily FX rates into USD (business days, a month before the first month to the last day) to this CSV file." };
        var targets = new Option<string?>("--targets") { Description = "Also write a target file (period,currency,figure,amount) to this CSV file: every month, complete quarter and fiscal year, each figure 3-12% above or below the sample's actual; with --fx-rates the USD rows are consolidated targets." };
        var fiscalYearStartMonth = new Option<int>("--fiscal-year-start-month") { Description = "First month of the fiscal year (1-12) for the quarters and years of --targets.", DefaultValueFactory = _ => 1 };
        fiscalYearStartMonth.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 12) { r.AddError("--fiscal-year-start-month must be 1-12"); } });

        var projectsAndUsage = new Option<bool>("--projects-and-usage") { Description = "Also a project business (fixed-price projects earned by progress; one revised estimate and one loss contract in every 20) and a usage business (metered contracts with monthly commitments), one of each per 20 usual contracts and at least 3; the usual contracts stay the same." };

        var command = new Command("sample", "Write a realistic, deterministic stream of billing events as NDJSON.") { contracts, months, seed, start, fxRates, targets, fiscalYearStartMonth, projectsAndUsage };
        command.SetAction(parse =>
        {
            var spec = new SampleSpec(parse.GetValue(contracts), parse.GetValue(months), parse.GetValue(seed), Period.Parse(parse.GetValue(start)!)) { ProjectsAndUsage = parse.GetValue(projectsAndUsage) };
            var events = SampleGenerator.Generate(spec);
            var rates = parse.GetValue(fxRates) is null ? null : SampleFxRates.Generate(spec);
            if (parse.GetValue(fxRates) is { } ratesPath && !TryWrite(ratesPath, "the FX rates", w => FxRateFile.Write(w, rates!), stderr))
            {
                return 1;
            }

            if (parse.GetValue(targets) is { } targetsPath)
            {
                var plan = SampleTargets.Generate(spec, events, rates is null ? null : new FxRates(SampleFxRates.Reporting, rates), parse.GetValue(fiscalYearStartMonth));
                if (!TryWrite(targetsPath, "the targets", w => TargetFile.Write(w, plan), stderr))
                {
                    return 1;
                }
            }

            foreach (var line in SampleGenerator.ToNdjson(events))
            {
                stdout.Write(line);
                stdout.Write('\n');
            }

            stdout.Flush();
            return 0;
        });
        return command;
    }

    /// <summary>Writes a sample file (UTF-8, no byte order mark); says on standard error when it cannot.</summary>
    private static bool TryWrite(string path, string what, Action<TextWriter> write, TextWriter stderr)
    {
        try
        {
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            write(writer);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot write {what} to {path}: {ex.Message}");
            return false;
        }
    }

    private static Command SnapshotCommand(TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress) => ReportCommand(
        "snapshot",
        "Month-end (or any day's) snapshot: backlog, deferred revenue, revenue, bookings, roll-forwards, ratios, RPO, segments.",
        stdout,
        stderr,
        stdin,
        showProgress,
        (request, contracts) =>
        {
            var calculator = new SnapshotCalculator(request.Options);
            var snapshot = request.Span is { } span ? calculator.ForSpan(contracts, span) : calculator.AsOf(contracts, request.AsOf);
            if (request.Rates is { } rates)
            {
                snapshot = snapshot with { Consolidated = Consolidate(calculator, request.Contracts, snapshot, rates) };
            }

            return new Renderers(s => SnapshotJson.Write(s, snapshot), w => SnapshotCsv.Write(w, snapshot), w => SnapshotTable.Write(w, snapshot));
        });

    private static Command WaterfallCommand(TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress) => ReportCommand(
        "waterfall",
        "When the closing backlog is expected to be recognized: 24 months, then later.",
        stdout,
        stderr,
        stdin,
        showProgress,
        (request, contracts) =>
        {
            var waterfalls = new SnapshotCalculator(request.Options).Waterfall(contracts, request.AsOf);
            var group = request.Rates is { } rates ? Consolidator.Waterfall(waterfalls, request.AsOf, rates) : null;
            return new Renderers(s => SnapshotJson.Write(s, request.AsOf, request.Period, waterfalls, group), w => SnapshotCsv.Write(w, waterfalls, group), w => SnapshotTable.Write(w, waterfalls, request.AsOf, group));
        });

    private static Command ForecastCommand(TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress) => ReportCommand(
        "forecast",
        "Billings, collections and revenue of the backlog month by month: overdue, 24 months, later, unscheduled.",
        stdout,
        stderr,
        stdin,
        showProgress,
        (request, contracts) =>
        {
            var forecast = Forecast.Of(contracts, request.AsOf, request.Options);
            if (request.Rates is { } rates)
            {
                forecast = forecast with { Group = Consolidator.Forecast(forecast.Totals, request.AsOf, rates) };
            }

            return new Renderers(s => ForecastFormats.WriteJson(s, forecast), w => ForecastFormats.WriteCsv(w, forecast), w => ForecastFormats.WriteTable(w, forecast));
        });

    private static Command JournalCommand(TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress)
    {
        var detail = new Option<string>("--detail") { Description = "summary: one line per currency, account and movement; contract: every contract's lines.", DefaultValueFactory = _ => "summary" };
        detail.AcceptOnlyFromAmong("summary", "contract");
        var command = ReportCommand(
            "journal",
            "Journal entries of a month for the general ledger: billings, revenue, the change of deferred revenue and unbilled receivable, collections; balanced per currency.",
            stdout,
            stderr,
            stdin,
            showProgress,
            (request, contracts) =>
            {
                var journal = PeriodJournals.Compute([.. contracts], request.Period!.Value, request.Options, request.Parse.GetValue(detail) == "contract" ? JournalDetail.Contract : JournalDetail.Summary);
                var accounts = JournalAccounts.Default;
                return new Renderers(s => JournalFormats.WriteJson(s, journal, accounts), w => JournalFormats.WriteCsv(w, journal, accounts), w => JournalFormats.WriteTable(w, journal, accounts));
            },
            monthsOnly: true);
        command.Options.Add(detail);
        return command;
    }

    /// <summary>One contract's figures explained down to its events (journal.md, "Explained figures").</summary>
    private static Command ExplainCommand(TextWriter stdout, TextWriter stderr, Func<Stream> stdin, bool showProgress)
    {
        var contract = new Option<string>("--contract") { Description = "The contract to explain.", Required = true };
        var options = new CommonOptions();
        var command = new Command(
            "explain",
            "One contract's figures explained: per line its amount history, service period or delivery dates, cumulative recognized at the start and end with the rounding; the events behind TCV, billed and collected.");
        options.AddTo(command);
        command.Options.Add(contract);
        command.SetAction(parse =>
        {
            if (!options.TryRead(parse, stderr, stdin, showProgress, out var request))
            {
                return InvalidEvents;
            }

            if (request.Format == "csv" || request.Rates is not null)
            {
                stderr.WriteLine("explain writes --format table or json, in the contract's currency (no --fx-rates)");
                return 1;
            }

            var id = parse.GetValue(contract)!;
            var history = request.Contracts.FirstOrDefault(c => string.Equals(c.ContractId, id, StringComparison.Ordinal));
            if (history?.Signing is null)
            {
                stderr.WriteLine($"unknown contract {id}: the events of {parse.GetValue<string>("--events")} have no contract.signed event for it");
                return 1;
            }

            var opening = request.Span?.OpeningDay ?? Period.Of(request.AsOf).Previous.LastDay;
            var explanation = Domain.Explain.ContractExplanation.Of(history, opening, request.AsOf, request.Options);
            Emit(stdout, request.Format, new Renderers(
                s => ExplanationFormats.WriteJson(s, ExplanationDocument.From(explanation, request.Period, EventOrigin.Offline)),
                _ => { },
                w => ExplanationFormats.WriteTable(w, explanation, request.Period, EventOrigin.Offline)));
            return 0;
        });
        return command;
    }

    /// <summary>A command that reads an event file, computes one report, and writes it in the chosen format.</summary>
    private static Command ReportCommand(
        string name,
        string description,
        TextWriter stdout,
        TextWriter stderr,
        Func<Stream> stdin,
        bool showProgress,
        Func<Request, IEnumerable<ContractHistory>, Renderers> compute,
        bool monthsOnly = false)
    {
        var options = new CommonOptions();
        var command = new Command(name, description);
        options.AddTo(command, monthsOnly);
        command.SetAction(parse =>
        {
            if (!options.TryRead(parse, stderr, stdin, showProgress, out var request))
            {
                return InvalidEvents;
            }

            var renderers = compute(request, Progress.Wrap(request.Contracts, stderr, showProgress, "contracts"));
            Emit(stdout, request.Format, renderers);
            return 0;
        });
        return command;
    }

    /// <summary>Renders into memory first, so a failure never leaves half an output behind.</summary>
    private static void Emit(TextWriter stdout, string format, Renderers renderers)
    {
        string text;
        if (format == "json")
        {
            using var buffer = new MemoryStream();
            renderers.Json(buffer);
            text = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        }
        else
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            (format == "csv" ? renderers.Csv : renderers.Table)(writer);
            text = writer.ToString();
        }

        stdout.Write(text);
        stdout.Flush();
    }

    private sealed record Renderers(Action<Stream> Json, Action<TextWriter> Csv, Action<TextWriter> Table);

    /// <summary>
    /// The group figures of a snapshot. A quarter or year is consolidated month by month (each month's flows at its
    /// own average rate, each opening at the previous month's closing rates) and combined, as the close does.
    /// </summary>
    private static Consolidated Consolidate(SnapshotCalculator calculator, IReadOnlyList<ContractHistory> contracts, Snapshot snapshot, FxRates rates)
    {
        if (snapshot.Span is not { Kind: not ReportingPeriodKind.Month } span)
        {
            return Consolidator.Of(snapshot, rates);
        }

        var months = new List<Snapshot>();
        IReadOnlyDictionary<Currency, decimal>? opening = null;
        foreach (var month in span.Months)
        {
            var monthly = calculator.ForPeriod(contracts, month);
            var consolidated = Consolidator.Of(monthly, rates, opening);
            months.Add(monthly with { Consolidated = consolidated, Contracts = [] });
            opening = consolidated.View?.Rates.ToDictionary(r => r.Currency, r => r.Closing);
        }

        return SnapshotSpan.Combine(span, months).Consolidated!;
    }

    /// <summary>What to report: <see cref="Span"/> for a month, quarter or fiscal year; <see cref="Period"/> only when it is a month.</summary>
    private sealed record Request(IReadOnlyList<ContractHistory> Contracts, ReportingPeriod? Span, DateOnly AsOf, SnapshotOptions Options, string Format, FxRates? Rates, ParseResult Parse)
    {
        public Period? Period => Span is { Kind: ReportingPeriodKind.Month } month ? month.Last : null;
    }

    private sealed class CommonOptions
    {
        private readonly Option<string> _events = new("--events") { Description = "NDJSON file of events ('-' for standard input).", Required = true };
        private readonly Option<string?> _period = new("--period") { Description = "Period to report: a month (2026-10), a quarter (2026-Q4), a fiscal year (FY2027) or fiscal quarter (FY2027-Q1); balances on its last day, flows over its months." };
        private readonly Option<int> _fiscalYearStartMonth = new("--fiscal-year-start-month") { Description = "First month of the fiscal year (1-12); FY2027 ends in 2027.", DefaultValueFactory = _ => 1 };
        private readonly Option<string?> _asOf = new("--as-of") { Description = "Day to report (yyyy-MM-dd): balances on that day, flows month to date." };
        private readonly Option<string> _proration = new("--proration") { Description = "How ratable lines are spread.", DefaultValueFactory = _ => "daily" };
        private readonly Option<string> _deferredBasis = new("--deferred-basis") { Description = "Deferred revenue against billed or collected amounts.", DefaultValueFactory = _ => "billed" };
        private readonly Option<int?> _progressDecimals = new("--progress-decimals") { Description = "Round progress lines' progress ratio to this many decimals (0-10) before use; exact when left out." };
        private readonly Option<string> _format = new("--format") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        private readonly Option<string?> _fxRates = new("--fx-rates") { Description = "CSV file of FX rates (date,currency,rate) into the reporting currency: adds the group figures." };
        private readonly Option<string?> _reportingCurrency = new("--reporting-currency") { Description = "The currency the group figures are in (ISO 4217, e.g. USD); with --fx-rates." };

        public CommonOptions()
        {
            _proration.AcceptOnlyFromAmong([.. PolicyNames.ProrationNames]);
            _deferredBasis.AcceptOnlyFromAmong([.. PolicyNames.DeferredBasisNames]);
            _format.AcceptOnlyFromAmong("table", "json", "csv");
            _progressDecimals.Validators.Add(r =>
            {
                if (r.Tokens.Count != 1 || !int.TryParse(r.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) || digits > 10)
                {
                    r.AddError("--progress-decimals must be a whole number from 0 to 10");
                }
            });
            _fiscalYearStartMonth.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 12) { r.AddError("--fiscal-year-start-month must be 1-12"); } });
            _period.Validators.Add(r =>
            {
                if (!ReportingPeriod.TryParse(r.GetValueOrDefault<string?>(), 1, out _))
                {
                    r.AddError("--period must be a month (2026-10), a quarter (2026-Q4), a fiscal year (FY2027) or a fiscal quarter (FY2027-Q1)");
                }
            });
            _reportingCurrency.Validators.Add(r =>
            {
                if (!Currency.TryOf(r.GetValueOrDefault<string?>(), out _))
                {
                    r.AddError("--reporting-currency must be an ISO 4217 currency code such as USD");
                }
            });
            _asOf.Validators.Add(r =>
            {
                if (!DateOnly.TryParseExact(r.GetValueOrDefault<string?>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    r.AddError("--as-of must be a day such as 2026-10-31");
                }
            });
        }

        /// <param name="monthsOnly">The command reports a month only: <c>--period</c> must be one, <c>--as-of</c> is refused.</param>
        public void AddTo(Command command, bool monthsOnly = false)
        {
            if (monthsOnly)
            {
                command.Validators.Add(r =>
                {
                    if (r.GetResult(_asOf) is not null || (r.GetValue(_period) is { } text && !Period.TryParse(text, out _)))
                    {
                        r.AddError($"{command.Name} reports a month: give --period as a month such as 2026-10");
                    }
                });
            }

            command.Options.Add(_events);
            command.Options.Add(_period);
            command.Options.Add(_fiscalYearStartMonth);
            command.Options.Add(_asOf);
            command.Options.Add(_proration);
            command.Options.Add(_deferredBasis);
            command.Options.Add(_progressDecimals);
            command.Options.Add(_format);
            command.Options.Add(_fxRates);
            command.Options.Add(_reportingCurrency);
            command.Validators.Add(r =>
            {
                if ((r.GetResult(_fxRates) is null) != (r.GetResult(_reportingCurrency) is null))
                {
                    r.AddError("give --fx-rates and --reporting-currency together");
                }

                var hasPeriod = r.GetResult(_period) is not null;
                var hasAsOf = r.GetResult(_asOf) is not null;
                if (hasPeriod == hasAsOf)
                {
                    r.AddError("give exactly one of --period or --as-of");
                }
            });
        }

        public bool TryRead(ParseResult parse, TextWriter stderr, Func<Stream> stdin, bool showProgress, out Request request)
        {
            request = null!;
            var path = parse.GetValue(_events)!;
            EventStreamResult stream;
            try
            {
                using var reader = path == "-"
                    ? new StreamReader(stdin(), Encoding.UTF8)
                    : new StreamReader(path, Encoding.UTF8);
                stream = EventStream.Read(reader);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"cannot read events from {path}: {ex.Message}");
                return false;
            }

            if (!stream.IsValid)
            {
                foreach (var error in stream.Errors)
                {
                    stderr.WriteLine(error.ToString());
                }

                stderr.WriteLine($"{stream.Errors.Count.ToString(CultureInfo.InvariantCulture)} problem(s) in {path}; nothing was computed.");
                return false;
            }

            var periodText = parse.GetValue(_period);
            var span = periodText is null ? null : ReportingPeriod.Parse(periodText, parse.GetValue(_fiscalYearStartMonth));
            var asOf = span?.LastDay ?? DateOnly.ParseExact(parse.GetValue(_asOf)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var options = PolicyNames.Options(parse.GetValue(_proration), parse.GetValue(_deferredBasis)) with { ProgressDecimals = parse.GetValue(_progressDecimals) };
            if (showProgress)
            {
                stderr.WriteLine($"read {stream.EventCount.ToString("N0", CultureInfo.InvariantCulture)} events of {stream.Contracts.Count.ToString("N0", CultureInfo.InvariantCulture)} contracts");
            }

            FxRates? rates = null;
            if (parse.GetValue(_fxRates) is { } ratesPath && !TryReadRates(ratesPath, Currency.Of(parse.GetValue(_reportingCurrency)!), stderr, out rates))
            {
                return false;
            }

            request = new Request(stream.Contracts, span, asOf, options, parse.GetValue(_format)!, rates, parse);
            return true;
        }

        /// <summary>Reads a rate file as the API does: every bad row named by line and field, nothing used when any is bad.</summary>
        private static bool TryReadRates(string path, Currency reporting, TextWriter stderr, out FxRates? rates)
        {
            rates = null;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"cannot read FX rates from {path}: {ex.Message}");
                return false;
            }

            var parsed = FxRateFile.Parse(bytes, reporting);
            if (!parsed.IsValid)
            {
                foreach (var error in parsed.Errors)
                {
                    stderr.WriteLine($"{path}: {error}");
                }

                if (parsed.MoreErrors > 0)
                {
                    stderr.WriteLine($"{path}: and {parsed.MoreErrors.ToString(CultureInfo.InvariantCulture)} more problem(s)");
                }

                stderr.WriteLine($"{path} has problems; nothing was computed.");
                return false;
            }

            rates = new FxRates(reporting, parsed.Rows);
            return true;
        }
    }
}
