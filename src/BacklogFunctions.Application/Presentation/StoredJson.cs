using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Presentation;

/// <summary>What a restatement changed, as stored next to the new version (<c>differences.json</c>).</summary>
public sealed record DifferencesDocument(string Period, int Version, int ComparedWith, IReadOnlyList<DifferenceEntry> Differences)
{
    public static DifferencesDocument From(Period period, int version, IReadOnlyList<FigureDifference> differences) =>
        new(period.ToString(), version, version - 1, [.. differences.Select(DifferenceEntry.From)]);
}

/// <summary>One changed figure: amounts with the currency's digits, and the change.</summary>
public sealed record DifferenceEntry(string ContractId, string Currency, string Figure, string Before, string After, string Change)
{
    public static DifferenceEntry From(FigureDifference d)
    {
        var currency = Domain.Money.Currency.Of(d.Currency);
        return new DifferenceEntry(d.ContractId, d.Currency, d.Figure, currency.Format(d.Before), currency.Format(d.After), currency.Format(d.After - d.Before));
    }

    public FigureDifference ToDifference() => new(ContractId, Currency, Figure, StoredMoney.Parse(Before), StoredMoney.Parse(After));
}

/// <summary>
/// The stored documents of closed periods: contract rows, restatement differences, the shard boundaries of a
/// fanned-out close. camelCase, compact, non-ASCII text kept as it is (as the rows have always been written);
/// members a reader does not know are skipped, so documents of a newer version still read.
/// </summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(StoredJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonTypeInfo<ContractRow> Row = (JsonTypeInfo<ContractRow>)Options.GetTypeInfo(typeof(ContractRow));
    private static readonly JsonTypeInfo<DifferencesDocument> Differences = (JsonTypeInfo<DifferencesDocument>)Options.GetTypeInfo(typeof(DifferencesDocument));
    private static readonly JsonTypeInfo<string[]> Strings = (JsonTypeInfo<string[]>)Options.GetTypeInfo(typeof(string[]));

    public static string Write(ContractRow row) => JsonSerializer.Serialize(row, Row);

    public static ContractRow ReadContractRow(string json) => JsonSerializer.Deserialize(json, Row) ?? throw new InvalidDataException("a contract row is a JSON object");

    public static byte[] Write(DifferencesDocument differences) => JsonSerializer.SerializeToUtf8Bytes(differences, Differences);

    public static DifferencesDocument ReadDifferences(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Differences) ?? throw new InvalidDataException("a differences document is a JSON object");

    public static string WriteStrings(IReadOnlyList<string> values) => JsonSerializer.Serialize([.. values], Strings);

    public static IReadOnlyList<string> ReadStrings(string json) => JsonSerializer.Deserialize(json, Strings) ?? throw new InvalidDataException("expected a JSON array of strings");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ContractRow))]
[JsonSerializable(typeof(DifferencesDocument))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
