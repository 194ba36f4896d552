using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BacklogFunctions.Testing;

/// <summary>Edits one value of a JSON document by path, to turn a valid event into a specific bad one.</summary>
public static class JsonEdit
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Sets the value at a path such as <c>data.lines[0].amount</c> to <paramref name="value"/> (raw JSON), or removes it when null.</summary>
    public static string Set(string json, string path, string? value)
    {
        var root = JsonNode.Parse(json)!;
        var segments = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        var node = root;
        foreach (var segment in segments[..^1])
        {
            node = segment.StartsWith('[') ? node[Index(segment)]! : node[segment]!;
        }

        var last = segments[^1];
        if (last.StartsWith('['))
        {
            node.AsArray()[Index(last)] = value is null ? null : JsonNode.Parse(value);
        }
        else if (value is null)
        {
            node.AsObject().Remove(last);
        }
        else
        {
            node[last] = JsonNode.Parse(value);
        }

        return root.ToJsonString(Output);
    }

    private static int Index(string segment) => int.Parse(segment.Trim('[', ']'), CultureInfo.InvariantCulture);
}
