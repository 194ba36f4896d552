namespace BacklogFunctions.Domain;

/// <summary>
/// The one spelling of each value of an enum on the wire (events, documents, settings). Reading refuses a name that
/// is not in the table; nothing falls back to a default silently.
/// </summary>
public sealed class NameTable<T>
    where T : struct, Enum
{
    private readonly (T Value, string Name)[] _entries;

    public NameTable(params (T Value, string Name)[] entries)
    {
        _entries = entries;
        Names = [.. entries.Select(e => e.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    public string NameOf(T value)
    {
        foreach (var (v, name) in _entries)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "not in the name table");
    }

    public bool TryParse(string? name, out T value)
    {
        foreach (var (v, n) in _entries)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}
