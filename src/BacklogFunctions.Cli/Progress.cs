using System.Globalization;

namespace BacklogFunctions.Cli;

/// <summary>A one-line progress indicator on standard error, shown only when it is a terminal.</summary>
internal static class Progress
{
    public static IEnumerable<T> Wrap<T>(IReadOnlyCollection<T> items, TextWriter stderr, bool enabled, string what)
    {
        if (!enabled || items.Count < 1000)
        {
            return items;
        }

        return Iterate(items, stderr, what);
    }

    private static IEnumerable<T> Iterate<T>(IReadOnlyCollection<T> items, TextWriter stderr, string what)
    {
        var step = Math.Max(1, items.Count / 100);
        var done = 0;
        foreach (var item in items)
        {
            yield return item;
            if (++done % step == 0 || done == items.Count)
            {
                stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\r  {done:N0} / {items.Count:N0} {what} ({done * 100 / items.Count}%)"));
            }
        }

        stderr.WriteLine();
    }
}
