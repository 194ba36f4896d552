using BacklogFunctions.Domain;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The labels of the age and term buckets in every output (JSON, CSV, tables, the board pack, stored rows and
/// documents). The domain knows the buckets only as <see cref="BacklogAge"/> and <see cref="TermLength"/>.
/// </summary>
public static class BucketLabels
{
    public static readonly NameTable<BacklogAge> Ages = new(
        (BacklogAge.Days0To90, "0-90 days"),
        (BacklogAge.Days91To180, "91-180 days"),
        (BacklogAge.Days181To365, "181-365 days"),
        (BacklogAge.Over365Days, "over 365 days"));

    public static readonly NameTable<TermLength> Terms = new(
        (TermLength.UpTo12Months, "up to 12 months"),
        (TermLength.Months13To24, "13-24 months"),
        (TermLength.Months25To36, "25-36 months"),
        (TermLength.Over36Months, "over 36 months"));

    private static readonly Dictionary<string, TermLength> TermSegments =
        TermBuckets.All.ToDictionary(SegmentDimensions.ValueOf, t => t, StringComparer.Ordinal);

    public static string Label(BacklogAge age) => Ages.NameOf(age);

    public static string Label(TermLength term) => Terms.NameOf(term);

    public static BacklogAge Age(string label) =>
        Ages.TryParse(label, out var age) ? age : throw new InvalidDataException($"'{label}' is not an age bucket ({string.Join(", ", Ages.Names)})");

    public static TermLength Term(string label) =>
        Terms.TryParse(label, out var term) ? term : throw new InvalidDataException($"'{label}' is not a term bucket ({string.Join(", ", Terms.Names)})");

    /// <summary>A segment's value as outputs show it: a term bucket by its label, any other value as it is.</summary>
    public static string SegmentLabel(string dimension, string value) =>
        dimension == SegmentDimensions.TermLength && TermSegments.TryGetValue(value, out var term) ? Label(term) : value;

    /// <summary>The segment value an output's value stands for (read back from a stored document).</summary>
    public static string SegmentValue(string dimension, string shown) =>
        dimension == SegmentDimensions.TermLength && Terms.TryParse(shown, out var term) ? SegmentDimensions.ValueOf(term) : shown;
}
