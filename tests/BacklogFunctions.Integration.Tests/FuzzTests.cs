using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Valid events mutated at random (bytes, escapes, truncation, type swaps, duplicated and missing fields, trailing
/// garbage), sent through the signed webhook, the batch endpoint and the Storage queue of the standalone program:
/// never a 5xx, never an error in the log, nothing stored but what was accepted, and the program alive after.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class FuzzTests(StandaloneFixture app, ITestOutputHelper output)
{
    private const int Cases = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    private static readonly string[] Escapes =
        ["\\ud800", "\\udfff", "\\ud83d", "\\u0000", "\\u0007", "\\u202e", "\\u2066", "\\uFEFF", "\\\\", "\\\"", "\\uFFFF", "\\u00e9", "\\ud83d\\ude00", "\\x41", "\\"];

    private static readonly string[] Replacements =
        ["1", "-1", "1e309", "0.1", "\"\"", "\"x\"", "[]", "{}", "null", "true", "\"2026-02-30\"", "\"9999999999999999.99\"", "\"-0.00\"", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "\"" + new string('a', 5000) + "\""];

    [Fact]
    public async Task Mutated_events_never_get_a_5xx_and_only_what_was_accepted_is_stored()
    {
        var seeds = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(15, 12, 31, new Period(2025, 1))))
            .Select(line => line.Replace("\"contractId\":\"", "\"contractId\":\"FZ-", StringComparison.Ordinal))
            .ToArray();
        var random = new Random(20261202);
        var before = await StoredAsync();
        var errorsBefore = app.Logs.Entries.Count(e => e.Level >= LogLevel.Error);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var sent = 0;

        while (sent < Cases && clock.Elapsed < Budget)
        {
            if (sent % 10 == 9)
            {
                // A batch of five: valid and mutated events side by side.
                var lines = Enumerable.Range(0, 5).Select(_ => random.Next(3) == 0 ? seeds[random.Next(seeds.Length)] : Mutate(seeds[random.Next(seeds.Length)], random)).ToArray();
                var response = await app.PostSignedAsync("/api/events:batch", Encoding.UTF8.GetBytes(string.Join('\n', lines)), "application/x-ndjson");
                Count(statuses, response.StatusCode);
                Assert.True((int)response.StatusCode < 500, $"batch answered {(int)response.StatusCode}: {string.Join(" | ", lines)}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    foreach (var result in (await Json.ReadAsync(response)).GetProperty("results").EnumerateArray())
                    {
                        if (result.GetProperty("status").GetString() == "accepted")
                        {
                            accepted.Add($"{result.GetProperty("contractId").GetString()}/{result.GetProperty("payloadSha256").GetString()}");
                        }
                    }
                }

                sent += 5;
                continue;
            }

            var body = MutateBytes(seeds[random.Next(seeds.Length)], random);
            var single = await app.PostSignedAsync("/api/events", body);
            Count(statuses, single.StatusCode);
            Assert.True((int)single.StatusCode < 500, $"answered {(int)single.StatusCode} for {Encoding.UTF8.GetString(body)}");
            Assert.Contains(single.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge });
            if (single.StatusCode == HttpStatusCode.Accepted)
            {
                var answer = await Json.ReadAsync(single);
                accepted.Add($"{answer.GetProperty("contractId").GetString()}/{answer.GetProperty("payloadSha256").GetString()}");
            }

            sent++;
        }

        output.WriteLine($"{sent} cases in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; {accepted.Count} events accepted");

        // Enough cases ran to mean something, and they reached every kind of answer.
        Assert.True(sent >= 1000, $"only {sent} cases in {Budget}");
        Assert.True(statuses.GetValueOrDefault(400) > sent / 4, $"statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(accepted.Count > 0);

        // Exactly the accepted events are new in the store.
        var after = await StoredAsync();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), after.Except(before).Order(StringComparer.Ordinal));

        // The same kinds of input on the Storage queue: all taken off, nothing failed, the program alive.
        var queue = app.Queue("billing-events");
        await queue.CreateIfNotExistsAsync();
        for (var i = 0; i < 150; i++)
        {
            await queue.SendMessageAsync(Mutate(seeds[random.Next(seeds.Length)], random));
        }

        Assert.True(await StandaloneFixture.EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, 60), "the queue did not drain");
        Assert.Equal(errorsBefore, app.Logs.Entries.Count(e => e.Level >= LogLevel.Error));
        await app.AssertAliveAsync();
    }

    private async Task<HashSet<string>> StoredAsync()
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in app.Table(TableEventStore.EventsTable).QueryAsync<TableEntity>(select: ["PartitionKey", "PayloadSha256"]))
        {
            rows.Add($"{e.PartitionKey}/{e.GetString("PayloadSha256")}");
        }

        return rows;
    }

    private static void Count(Dictionary<int, int> statuses, HttpStatusCode status) =>
        statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;

    /// <summary>One to three mutations of the text.</summary>
    private static string Mutate(string json, Random random)
    {
        var text = json;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            text = random.Next(7) switch
            {
                0 => InsertEscape(text, random),
                1 => text[..random.Next(text.Length + 1)],
                2 => SwapValue(text, random),
                3 => text.Insert(1, "\"id\":\"dup\","),
                4 => RemoveField(text, random),
                5 => text + (random.Next(2) == 0 ? " {}" : "garbage"),
                _ => SwapValue(text, random),
            };
        }

        return text;
    }

    /// <summary>As <see cref="Mutate"/>, and sometimes random bytes that need not be UTF-8.</summary>
    private static byte[] MutateBytes(string json, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(random.Next(4) == 0 ? json : Mutate(json, random));
        if (random.Next(4) == 0 && bytes.Length > 0)
        {
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
        }

        return bytes;
    }

    private static string InsertEscape(string text, Random random)
    {
        // Inside a string value: right after an opening quote of a value.
        var quotes = Enumerable.Range(0, Math.Max(0, text.Length - 1)).Where(i => text[i] == '"' && i > 0 && text[i - 1] == ':').ToArray();
        if (quotes.Length == 0)
        {
            return text;
        }

        return text.Insert(quotes[random.Next(quotes.Length)] + 1, Escapes[random.Next(Escapes.Length)]);
    }

    private static string SwapValue(string text, Random random)
    {
        try
        {
            var root = JsonNode.Parse(text);
            var values = new List<(JsonNode Parent, string? Name, int Index)>();
            Collect(root!, values);
            if (values.Count == 0)
            {
                return text;
            }

            var (parent, name, index) = values[random.Next(values.Count)];
            var replacement = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
            if (name is not null)
            {
                parent[name] = replacement;
            }
            else
            {
                parent[index] = replacement;
            }

            return root!.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // Text that an earlier mutation left unreadable (or with duplicate names) stays as it is.
            return text;
        }
    }

    private static string RemoveField(string text, Random random)
    {
        try
        {
            var root = JsonNode.Parse(text);
            var objects = new List<(JsonNode Parent, string? Name, int Index)>();
            Collect(root!, objects);
            var named = objects.Where(o => o.Name is not null).ToArray();
            if (named.Length == 0)
            {
                return text;
            }

            var (parent, name, _) = named[random.Next(named.Length)];
            parent.AsObject().Remove(name!);
            return root!.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return text;
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode Parent, string? Name, int Index)> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToArray())
                {
                    values.Add((o, name, -1));
                    if (child is not null)
                    {
                        Collect(child, values);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    values.Add((a, null, i));
                    if (a[i] is { } child)
                    {
                        Collect(child, values);
                    }
                }

                break;
        }
    }
}
