using System.Text.Json;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// One contract's snapshot as stored with a closed period (a <see cref="ContractRow"/>). It reads back into the
/// same <see cref="ContractSnapshot"/>, so the totals of a period can be rebuilt from its rows (the sharded close
/// combines them this way) and reports can drill down to contracts.
/// </summary>
public static class ContractSnapshotJson
{
    public static string Write(ContractSnapshot contract) => StoredJson.Write(ContractRow.From(contract));

    public static ContractSnapshot Read(string json) => StoredJson.ReadContractRow(json).ToSnapshot();

    /// <summary>A stored money string (invariant culture, optional sign, no separators).</summary>
    public static decimal Money(JsonElement value) => StoredMoney.Parse(value.GetString()!);

    /// <summary>Every figure of <see cref="FigureColumns.All"/> that the JSON object holds (decimal strings); zero for the others.</summary>
    public static Figures ReadFigures(JsonElement element)
    {
        var figures = Figures.Zero;
        foreach (var column in FigureColumns.All)
        {
            if (element.TryGetProperty(column.Name, out var value))
            {
                figures = column.With(figures, Money(value));
            }
        }

        return figures;
    }
}
