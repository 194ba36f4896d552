using System.Text.Json;

namespace BacklogFunctions.Domain.Events;

/// <summary>
/// Checks the text of a JSON document before anything reads it: a <c>\u</c> escape can encode a lone UTF-16
/// surrogate (<c>"\ud800"</c>), which is valid JSON but not text, and which no string can be read from. Every
/// such string or field name is reported with its JSON path, so it is a 400 that names the field everywhere.
/// </summary>
public static class JsonText
{
    public const string LoneSurrogate = "is not valid text: it holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair)";

    /// <summary>
    /// True when raw UTF-8 JSON may hold a surrogate escape. Raw UTF-8 was validated, so a lone surrogate can only
    /// come from a <c>\uD8xx</c>-<c>\uDFxx</c> escape; without one the document needs no walk.
    /// </summary>
    public static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> utf8Json)
    {
        var rest = utf8Json;
        int at;
        while ((at = rest.IndexOf("\\u"u8)) >= 0)
        {
            rest = rest[(at + 2)..];
            if (rest.Length >= 2 && (rest[0] | 0x20) == 'd' && IsSurrogateSecondDigit(rest[1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every string value and field name of the element that is not valid UTF-16, by JSON path.</summary>
    public static IReadOnlyList<string> FindInvalid(JsonElement element)
    {
        var found = new List<string>();
        Walk(element, "$", found);
        return found;
    }

    /// <summary>
    /// Every field name that appears twice in one object, by JSON path. JSON allows it, but which value counts would
    /// depend on the reader, so an event with one is refused. Needs valid text (<see cref="FindInvalid"/> first).
    /// </summary>
    public static IReadOnlyList<string> FindDuplicateNames(JsonElement element)
    {
        var found = new List<string>();
        WalkNames(element, "$", found);
        return found;
    }

    /// <summary>A string read from JSON elsewhere (a queue envelope): true when it is valid UTF-16.</summary>
    public static bool IsValidText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The string, or null when the element holds a lone surrogate.</summary>
    public static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsSurrogateSecondDigit(byte b) => b is (byte)'8' or (byte)'9' || (b | 0x20) is >= 'a' and <= 'f';

    private static void Walk(JsonElement element, string path, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (TryGetString(element) is null)
                {
                    found.Add(path);
                }

                break;
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    string? name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        name = null;
                    }

                    if (name is null)
                    {
                        found.Add($"{Join(path, "(field name)")}[{index}]");
                    }
                    else
                    {
                        Walk(property.Value, Join(path, name), found);
                    }

                    index++;
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", found);
                }

                break;
        }
    }

    private static void WalkNames(JsonElement element, string path, List<string> found)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    WalkNames(item, $"{path}[{i}]", found);
                }

                i++;
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        HashSet<string>? names = null;
        foreach (var property in element.EnumerateObject())
        {
            names ??= new HashSet<string>(StringComparer.Ordinal);
            if (!names.Add(property.Name))
            {
                found.Add(Join(path, property.Name));
            }
            else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                WalkNames(property.Value, Join(path, property.Name), found);
            }
        }
    }

    private static string Join(string path, string name) => path == "$" ? name : $"{path}.{name}";
}
