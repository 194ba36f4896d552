using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Alerts;

/// <summary>The figures a target can be set for (alerts.md, "Targets").</summary>
public enum TargetFigure
{
    Bookings,
    Revenue,
    Billings,
    Collections,
    Backlog,
    DeferredRevenue,
    Arr,
}

/// <summary>The names of <see cref="TargetFigure"/> in files and outputs, and each one's value in a set of figures.</summary>
public static class TargetFigures
{
    public static readonly IReadOnlyList<TargetFigure> All = Enum.GetValues<TargetFigure>();

    public static string NameOf(TargetFigure figure) => figure switch
    {
        TargetFigure.Bookings => "bookings",
        TargetFigure.Revenue => "revenue",
        TargetFigure.Billings => "billings",
        TargetFigure.Collections => "collections",
        TargetFigure.Backlog => "backlog",
        TargetFigure.DeferredRevenue => "deferredRevenue",
        TargetFigure.Arr => "arr",
        _ => throw new ArgumentOutOfRangeException(nameof(figure)),
    };

    /// <summary>The figure of a name, exactly as written (names are case-sensitive, as everywhere in the product).</summary>
    public static bool TryParse(string? name, out TargetFigure figure)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(NameOf(candidate), name, StringComparison.Ordinal))
            {
                figure = candidate;
                return true;
            }
        }

        figure = default;
        return false;
    }

    /// <summary>The actual value of a figure: flows of the period, balances at its end.</summary>
    public static decimal ValueOf(TargetFigure figure, Figures figures) => figure switch
    {
        TargetFigure.Bookings => figures.Bookings,
        TargetFigure.Revenue => figures.Revenue,
        TargetFigure.Billings => figures.Billings,
        TargetFigure.Collections => figures.Collections,
        TargetFigure.Backlog => figures.Backlog,
        TargetFigure.DeferredRevenue => figures.DeferredRevenue,
        TargetFigure.Arr => figures.Arr,
        _ => throw new ArgumentOutOfRangeException(nameof(figure)),
    };
}

/// <summary>
/// One planned figure: for a month, quarter or fiscal year (by its name, as in forward.md), a currency — the
/// reporting currency meaning the consolidated figures — and an amount in that currency.
/// </summary>
public sealed record Target(string Period, Currency Currency, TargetFigure Figure, decimal Amount);

/// <summary>A target against its period's actual: variance = actual − target, variance % = variance ÷ |target|.</summary>
/// <param name="Actual">Null ("n/a") when the actual is not known: a consolidated target while the group figures lack rates.</param>
public sealed record TargetResult(string Period, Currency Currency, TargetFigure Figure, decimal Target, decimal? Actual)
{
    /// <summary>Actual − target; null when the actual is n/a.</summary>
    public decimal? Variance => Actual is { } actual ? actual - Target : null;

    /// <summary>Variance ÷ |target| with four decimals (a fraction: −0.0500 is 5% below plan); null for a zero target or an n/a actual.</summary>
    public decimal? VariancePct => Variance is { } variance && Target != 0m
        ? Math.Round(variance / Math.Abs(Target), 4, MidpointRounding.AwayFromZero)
        : null;
}

/// <summary>Plan against actual for one period's figures (alerts.md, "Targets").</summary>
public static class PlanVersusActual
{
    /// <summary>
    /// Every target of the period named <paramref name="periodName"/>, in target order, with its actual: a currency's
    /// figures from its totals (zero when the period has no contract in it), the reporting currency's from the
    /// consolidated view (n/a while it lacks rates).
    /// </summary>
    public static IReadOnlyList<TargetResult> Of(IEnumerable<Target> targets, string periodName, IReadOnlyList<CurrencyTotals> totals, Consolidation.Consolidated? consolidated)
    {
        var results = new List<TargetResult>();
        foreach (var target in targets)
        {
            if (!string.Equals(target.Period, periodName, StringComparison.Ordinal))
            {
                continue;
            }

            decimal? actual;
            if (consolidated is not null && consolidated.Currency == target.Currency)
            {
                actual = consolidated.View is { } view ? TargetFigures.ValueOf(target.Figure, view.Totals.Figures) : null;
            }
            else
            {
                var total = totals.FirstOrDefault(t => t.Currency == target.Currency);
                actual = total is null ? 0m : TargetFigures.ValueOf(target.Figure, total.Figures);
            }

            results.Add(new TargetResult(target.Period, target.Currency, target.Figure, target.Amount, actual));
        }

        return results;
    }
}
