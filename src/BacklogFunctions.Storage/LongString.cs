using Azure.Data.Tables;

namespace BacklogFunctions.Storage;

/// <summary>
/// A string longer than one table property holds (64 KiB, 32 K UTF-16 characters), kept in consecutive
/// properties <c>Name</c>, <c>Name1</c>, <c>Name2</c>… (an entity holds up to 1 MiB). Chunks never split a
/// surrogate pair, which the service would not store.
/// </summary>
internal static class LongString
{
    public const int ChunkChars = 30_000;

    public static void Set(TableEntity entity, string name, string value)
    {
        var index = 0;
        var offset = 0;
        do
        {
            var length = Math.Min(ChunkChars, value.Length - offset);
            if (length < value.Length - offset && char.IsHighSurrogate(value[offset + length - 1]))
            {
                length--;
            }

            entity[index == 0 ? name : name + index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value.Substring(offset, length);
            offset += length;
            index++;
        }
        while (offset < value.Length);
    }

    public static string Get(TableEntity entity, string name)
    {
        var first = entity.GetString(name);
        if (!entity.ContainsKey(name + "1"))
        {
            return first;
        }

        var builder = new System.Text.StringBuilder(first);
        for (var index = 1; entity.GetString(name + index.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } chunk; index++)
        {
            builder.Append(chunk);
        }

        return builder.ToString();
    }

    public static int Length(TableEntity entity, string name)
    {
        var length = 0;
        foreach (var (key, value) in entity)
        {
            if (key.StartsWith(name, StringComparison.Ordinal) && value is string s)
            {
                length += s.Length;
            }
        }

        return length;
    }
}
