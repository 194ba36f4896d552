using System.Text;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Application.Events;

/// <summary>One refused event of a stream: where it was, and why.</summary>
public sealed record StreamError(int Line, string? EventId, string Field, string Reason)
{
    public override string ToString() =>
        $"line {Line}: event {EventId ?? "(no id)"}: {Field}: {Reason}";
}

/// <summary>The contracts of an event stream, or every reason it cannot be used.</summary>
public sealed record EventStreamResult(IReadOnlyList<ContractHistory> Contracts, IReadOnlyList<StreamError> Errors, int EventCount)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Reads NDJSON (one event per line) into contract histories, all or nothing.</summary>
public static class EventStream
{
    public static EventStreamResult Read(TextReader reader)
    {
        var errors = new List<StreamError>();
        var byContract = new Dictionary<string, List<ContractEvent>>(StringComparer.Ordinal);
        var lineNumbers = new Dictionary<(string Contract, string Id), int>();
        var lineNumber = 0;
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var result = EventReader.Parse(Encoding.UTF8.GetBytes(line));
            if (result.Event is not { } e)
            {
                errors.AddRange(result.Errors.Select(x => new StreamError(lineNumber, x.EventId, x.Field, x.Reason)));
                continue;
            }

            count++;
            if (!byContract.TryGetValue(e.ContractId, out var events))
            {
                events = [];
                byContract.Add(e.ContractId, events);
            }

            events.Add(e);
            lineNumbers.TryAdd((e.ContractId, e.Id), lineNumber);
        }

        var contracts = new List<ContractHistory>(byContract.Count);
        var issues = new List<ReplayIssue>();
        foreach (var (contractId, events) in byContract.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            contracts.Add(ContractHistory.Create(contractId, events, issues));
        }

        errors.AddRange(issues.Select(i => new StreamError(
            i.EventId is { } id && lineNumbers.TryGetValue((i.ContractId, id), out var n) ? n : 0,
            i.EventId,
            i.Field,
            $"{i.Reason} (contract {i.ContractId})")));
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return errors.Count > 0 ? new EventStreamResult([], errors, count) : new EventStreamResult(contracts, [], count);
    }
}
