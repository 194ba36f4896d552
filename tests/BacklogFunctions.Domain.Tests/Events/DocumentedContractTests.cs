using System.Text.Json.Nodes;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Tests.Events;

/// <summary>The event contract in docs/ (examples and JSON Schema) says what the validator does.</summary>
public class DocumentedContractTests
{
    private static readonly string Docs = Path.Combine(Testing.Repository.Root, "docs");

    public static TheoryData<string> Examples() => new(Directory.GetFiles(Path.Combine(Docs, "examples"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_documented_example_is_a_valid_event_of_the_type_it_is_named_after(string file)
    {
        var result = EventReader.Parse(File.ReadAllText(Path.Combine(Docs, "examples", file)));

        Assert.Empty(result.Errors);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), result.Event!.Type);
    }

    [Fact]
    public void There_is_one_example_per_event_type_and_together_they_form_one_consistent_contract()
    {
        var events = Directory.GetFiles(Path.Combine(Docs, "examples"), "*.json").Select(f => EventReader.Parse(File.ReadAllText(f)).Event!).ToList();
        var issues = new List<ReplayIssue>();

        ContractHistory.Create("C-1001", events, issues);

        Assert.Equal(EventTypes.All.Order(StringComparer.Ordinal), events.Select(e => e.Type).Order(StringComparer.Ordinal));
        Assert.Empty(issues);
    }

    [Fact]
    public void The_schema_lists_exactly_the_event_types_the_product_reads()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "events.schema.json")))!;

        var types = schema["$defs"]!["eventType"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>());

        Assert.Equal(EventTypes.All, types);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_field_the_schema_requires_is_required_by_the_validator(string file)
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "examples", file)))!.AsObject();
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "events.schema.json")))!;
        var definition = schema["allOf"]!.AsArray()
            .Single(c => c!["if"]!["properties"]!["type"]!["const"]!.GetValue<string>() == example["type"]!.GetValue<string>())!["then"]!["properties"]!["data"]!["$ref"]!.GetValue<string>();
        var required = schema["$defs"]![definition.Split('/')[^1]]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

        foreach (var field in required)
        {
            var copy = example.DeepClone().AsObject();
            copy["data"]!.AsObject().Remove(field);

            var errors = EventReader.Parse(copy.ToJsonString()).Errors;

            Assert.Contains(errors, e => e.Field == "data." + field && e.Reason == "is required");
        }

        foreach (var field in schema["required"]!.AsArray().Select(r => r!.GetValue<string>()))
        {
            var copy = example.DeepClone().AsObject();
            copy.Remove(field);
            Assert.Contains(EventReader.Parse(copy.ToJsonString()).Errors, e => e.Field == field && e.Reason == "is required");
        }
    }
}
