using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Cli.Tests;

/// <summary>
/// <c>backlog targets</c>, <c>backlog targets list</c>, <c>backlog alerts</c> and <c>backlog sample --targets</c>,
/// against a loopback program that answers as alerts.md documents and records what it was sent.
/// </summary>
public sealed class TargetsAndAlertsCommandTests : IDisposable
{
    private const string Key = "read-key-0123456789abcdef";

    private const string Alerts = """
        {"period":"2026-11","version":2,"alerts":[
          {"id":"2026-11|v2|Backlog down more than 10% in a month|EUR","name":"Backlog down more than 10% in a month","figure":"backlogChangePct","currency":"EUR","operator":"<","threshold":"-0.1","actual":"-0.1342","fired":true,"severity":"critical","note":"-0.1342 < -0.1","forMonths":1},
          {"id":"2026-11|v2|GRR below 0.9|consolidated","name":"GRR below 0.9","figure":"grr","currency":"consolidated","operator":"<","threshold":"0.9","actual":"n/a","fired":false,"severity":"critical","note":"n/a: no reporting currency is set, so there are no consolidated figures","forMonths":1},
          {"id":"2026-11|v2|Overdue backlog|USD","name":"Overdue backlog","figure":"overdueBacklog","currency":"USD","operator":">","threshold":"0.00","actual":"1250.00","fired":true,"severity":"warning","note":"1250 > 0","forMonths":1},
          {"id":"2026-11|v2|Book-to-bill below 1 for 3 months|USD","name":"Book-to-bill below 1 for 3 months","figure":"bookToBill","currency":"USD","operator":"<","threshold":"1","actual":"0.82","fired":false,"severity":"warning","note":"0.82 < 1 this month, but not in 2026-09 (1.4)","forMonths":3}
        ]}
        """;

    private const string Targets = """
        {"period":"2026-11","version":2,"targetsVersion":4,"targets":[
          {"currency":"EUR","figure":"revenue","target":"1250000.00","actual":"1187500.00","variance":"-62500.00","variancePct":"-0.0500"},
          {"currency":"JPY","figure":"bookings","target":"0","actual":"3000000","variance":"3000000","variancePct":"n/a"},
          {"currency":"USD","figure":"backlog","target":"9000000.00","actual":"n/a","variance":"n/a","variancePct":"n/a"}
        ]}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-targets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args, name => name == PeriodsCommand.KeyVariable ? Key : null);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task An_upload_sends_the_file_as_it_is_with_the_key_and_prints_the_stored_version()
    {
        using var program = new LoopbackProgram(_ => (200, """{"version":3,"targets":2,"periods":["2026-11","2026-Q4"],"uploadedAt":"2026-12-01T08:00:00+00:00"}"""));
        var text = "period,currency,figure,amount\n2026-11,EUR,revenue,1250000.00\n2026-Q4,EUR,revenue,3900000.00\n";
        var path = Write("targets.csv", text);

        var (exit, output, error) = await Task.Run(() => Run("targets", "--file", path, "--url", program.Url));

        Assert.True(exit == 0, error);
        Assert.Equal("stored target version 3: 2 targets for 2 periods (2026-11 to 2026-Q4), uploaded at 2026-12-01T08:00:00+00:00\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
        var request = Assert.Single(program.Requests);
        Assert.Equal(("PUT", "/api/targets", Key, "text/csv; charset=utf-8"), (request.Method, request.Path, request.Key, request.ContentType));
        Assert.Equal(text, request.Body);
    }

    [Fact]
    public async Task A_bad_file_is_refused_here_by_line_and_field_and_nothing_is_sent()
    {
        using var program = new LoopbackProgram(_ => (200, "{}"));
        var path = Write("targets.csv", "period,currency,figure,amount\n2026-13,EUR,revenue,1\n2026-11,EUR,Revenue,10\n2026-11,JPY,revenue,10.5\n");

        var (exit, output, error) = await Task.Run(() => Run("targets", "--file", path, "--url", program.Url));

        Assert.Equal(FxCommand.Refused, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("line 2, period: '2026-13' is not a period", error, StringComparison.Ordinal);
        Assert.Contains("line 3, figure: 'Revenue' must be written revenue", error, StringComparison.Ordinal);
        Assert.Contains("line 4, amount: '10.5' has 1 decimals; JPY amounts have at most 0", error, StringComparison.Ordinal);
        Assert.Contains($"3 problem(s) in {path}; nothing was sent.", error, StringComparison.Ordinal);
        Assert.Empty(program.Requests);
    }

    [Fact]
    public async Task A_refusal_of_the_program_is_printed_by_line_and_field()
    {
        using var program = new LoopbackProgram(_ => (400, """{"title":"Invalid target file","status":400,"detail":"1 problem(s)","errors":[{"line":2,"field":"period","message":"FY2100 is out of range"}],"moreErrors":0}"""));
        var path = Write("targets.csv", "period,currency,figure,amount\nFY2027,EUR,revenue,1\n");

        var (exit, _, error) = await Task.Run(() => Run("targets", "--file", path, "--url", program.Url));

        Assert.Equal(FxCommand.Refused, exit);
        Assert.Contains("line 2, period: FY2100 is out of range\n1 problem(s) in the file; nothing was stored.", error.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_reads_a_version_back()
    {
        using var program = new LoopbackProgram(_ => (200, """{"version":2,"uploadedAt":"2026-12-01T08:00:00+00:00","targets":[{"period":"2026-11","currency":"EUR","figure":"revenue","amount":"1250000.00"},{"period":"FY2026","currency":"JPY","figure":"arr","amount":"900000000"}]}"""));

        var (exit, output, error) = await Task.Run(() => Run("targets", "list", "--url", program.Url, "--version", "2"));

        Assert.True(exit == 0, error);
        Assert.Equal("/api/targets?version=2", Assert.Single(program.Requests).PathAndQuery);
        var lines = output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        Assert.Equal("target version 2, uploaded at 2026-12-01T08:00:00+00:00", lines[0]);
        Assert.Matches(@"^2026-11\s+EUR\s+revenue\s+1,250,000\.00 $", lines[2]);
        Assert.Matches(@"^FY2026\s+JPY\s+arr\s+900,000,000 $", lines[3]);
    }

    [Fact]
    public async Task Alerts_print_the_fired_ones_first_then_the_others_with_why_then_the_targets_of_the_same_version()
    {
        using var program = new LoopbackProgram(r => r.Path.EndsWith("/alerts", StringComparison.Ordinal) ? (200, Alerts) : (200, Targets));

        var (exit, output, error) = await Task.Run(() => Run("alerts", "--url", program.Url, "--period", "2026-11"));

        Assert.True(exit == 0, error);
        Assert.Equal(["/api/periods/2026-11/alerts", "/api/periods/2026-11/targets?version=2"], program.Requests.Select(r => r.PathAndQuery));
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal);
        Assert.StartsWith("alerts for 2026-11 (version 2): 2 fired, 2 did not\n", text, StringComparison.Ordinal);
        var order = new[] { "  fired\n", "critical  EUR", "Backlog down more than 10% in a month", "-0.1342 < -0.1", "warning   USD", "1250 > 0", "  did not fire\n", "critical  consolidated", "n/a: no reporting currency is set", "warning   USD", "but not in 2026-09 (1.4)", "targets against actual for 2026-11 (version 2, target version 4)" }
            .Select(s => text.IndexOf(s, text.IndexOf("alerts for", StringComparison.Ordinal), StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Matches(@"\n  EUR\s+revenue\s+1,250,000\.00 \s+1,187,500\.00 \s+\(62,500\.00\)\s+-5\.00%\n", text);
        Assert.Matches(@"\n  JPY\s+bookings\s+0 \s+3,000,000 \s+3,000,000 \s+n/a\n", text);
        Assert.Matches(@"\n  USD\s+backlog\s+9,000,000\.00 \s+n/a \s+n/a \s+n/a\n", text);
    }

    [Fact]
    public async Task The_summary_is_one_line_per_fired_rule_and_how_far_off_plan()
    {
        using var program = new LoopbackProgram(r => r.Path.EndsWith("/alerts", StringComparison.Ordinal) ? (200, Alerts) : (200, Targets));

        var (exit, output, error) = await Task.Run(() => Run("alerts", "--url", program.Url, "--period", "2026-11", "--format", "summary"));

        Assert.True(exit == 0, error);
        Assert.Equal(
            "alerts for 2026-11 (version 2): 2 of 4 checks fired\n" +
            "  critical  Backlog down more than 10% in a month: EUR -0.1342 (< -0.1)\n" +
            "  warning   Overdue backlog: USD 1250.00 (> 0.00)\n" +
            "  0 of 3 targets more than 5% off plan (backlog alerts --period … for every check and target)\n",
            output.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alerts_as_json_are_both_answers_as_they_came()
    {
        using var program = new LoopbackProgram(r => r.Path.EndsWith("/alerts", StringComparison.Ordinal) ? (200, Alerts) : (200, Targets));

        var (exit, output, error) = await Task.Run(() => Run("alerts", "--url", program.Url, "--period", "2026-11", "--version", "2", "--format", "json"));

        Assert.True(exit == 0, error);
        Assert.Equal(["/api/periods/2026-11/alerts?version=2", "/api/periods/2026-11/targets?version=2"], program.Requests.Select(r => r.PathAndQuery));
        using var json = JsonDocument.Parse(output);
        using var alerts = JsonDocument.Parse(Alerts);
        using var targets = JsonDocument.Parse(Targets);
        Assert.True(JsonElement.DeepEquals(alerts.RootElement, json.RootElement.GetProperty("alerts")));
        Assert.True(JsonElement.DeepEquals(targets.RootElement, json.RootElement.GetProperty("targets")));
    }

    [Fact]
    public async Task A_month_that_is_not_closed_is_said_as_the_program_says_it()
    {
        using var program = new LoopbackProgram(_ => (404, """{"title":"Period not closed","status":404,"detail":"2026-12 is not closed yet"}"""));

        var (exit, output, error) = await Task.Run(() => Run("alerts", "--url", program.Url, "--period", "2026-12"));

        Assert.Equal(FxCommand.Refused, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("the program answered 404: Period not closed: 2026-12 is not closed yet", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_alerts_say_when_the_program_cannot_be_reached()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";
        var path = Write("targets.csv", "period,currency,figure,amount\n2026-11,EUR,revenue,1\n");

        var upload = Run("targets", "--file", path, "--url", url);
        var alerts = Run("alerts", "--url", url, "--period", "2026-11");

        Assert.Equal((FxCommand.Refused, FxCommand.Refused), (upload.Exit, alerts.Exit));
        Assert.Contains("cannot reach the program", upload.Err, StringComparison.Ordinal);
        Assert.Contains("cannot reach the program", alerts.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("targets", "--url", "http://127.0.0.1:9")]
    [InlineData("targets", "--file", "targets.csv")]
    [InlineData("targets", "--file", "targets.csv", "--url", "ftp://127.0.0.1:9")]
    [InlineData("targets", "list", "--url", "http://127.0.0.1:9", "--version", "0")]
    [InlineData("alerts", "--url", "http://127.0.0.1:9")]
    [InlineData("alerts", "--url", "http://127.0.0.1:9", "--period", "2026-Q4")]
    [InlineData("alerts", "--url", "http://127.0.0.1:9", "--period", "2026-11", "--format", "csv")]
    [InlineData("sample", "--months", "3", "--targets", "t.csv", "--fiscal-year-start-month", "13")]
    public void Bad_arguments_fail_with_a_message(params string[] args)
    {
        var (exit, output, error) = Run(args);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("stored target version", output, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Sample_writes_its_target_file_beside_events_that_do_not_change()
    {
        var targets = Path.Combine(_directory, "targets.csv");
        var rates = Path.Combine(_directory, "fx-rates.csv");

        var with = Run("sample", "--contracts", "40", "--months", "12", "--seed", "9", "--start", "2025-01", "--fx-rates", rates, "--targets", targets);
        var without = Run("sample", "--contracts", "40", "--months", "12", "--seed", "9", "--start", "2025-01");

        Assert.True(with.Exit == 0, with.Err);
        Assert.Equal(without.Out, with.Out);
        var spec = new SampleSpec(40, 12, 9, new Period(2025, 1));
        using var expected = new StringWriter(CultureInfo.InvariantCulture);
        TargetFile.Write(expected, SampleTargets.Generate(spec, SampleGenerator.Generate(spec), new FxRates(Currency.USD, SampleFxRates.Generate(spec))));
        var written = File.ReadAllBytes(targets);
        Assert.Equal(Encoding.UTF8.GetBytes(expected.ToString()), written);
        Assert.True(TargetFile.Parse(written, 1).IsValid);
        Assert.Contains("\nFY2025,USD,arr,", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_says_when_it_cannot_write_the_target_file()
    {
        var (exit, output, error) = Run("sample", "--contracts", "1", "--months", "1", "--targets", Path.Combine(_directory, "missing", "targets.csv"));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("cannot write the targets to", error, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Request(string Method, string Path, string PathAndQuery, string? Key, string? ContentType, string Body);

    /// <summary>A program on a loopback port: answers every request with what <c>answer</c> gives for it, and keeps each one.</summary>
    private sealed class LoopbackProgram : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<Request> _requests = [];
        private readonly Task _loop;

        public LoopbackProgram(Func<Request, (int Status, string Body)> answer)
        {
            var port = ClosedPort();
            Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    var body = await reader.ReadToEndAsync().ConfigureAwait(false);
                    var url = context.Request.Url!;
                    var request = new Request(context.Request.HttpMethod, url.AbsolutePath, url.PathAndQuery, context.Request.Headers["x-functions-key"], context.Request.ContentType, body);
                    lock (_requests)
                    {
                        _requests.Add(request);
                    }

                    var (status, text) = answer(request);
                    var bytes = Encoding.UTF8.GetBytes(text);
                    context.Response.StatusCode = status;
                    context.Response.ContentType = status == 200 ? "application/json; charset=utf-8" : "application/problem+json; charset=utf-8";
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public IReadOnlyList<Request> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
