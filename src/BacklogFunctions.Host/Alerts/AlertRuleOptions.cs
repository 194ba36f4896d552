using System.ComponentModel.DataAnnotations;
using System.Globalization;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Host.Alerts;

/// <summary>
/// The alert rules (alerts.md, "Names"): <c>Alerts:Rules:N:Name|Figure|Currency|Operator|Threshold|ForMonths|Severity</c>
/// (environment <c>Alerts__Rules__0__Figure</c>, …) and <c>Alerts:UseDefaults</c> (default true: the documented
/// defaults apply besides the configured rules). Every rule is checked on start; a bad one stops the program with
/// a message naming it.
/// </summary>
public sealed class AlertRuleOptions : IValidatableObject
{
    public const string Section = "Alerts";

    public bool UseDefaults { get; set; } = true;

    public List<AlertRuleOption> Rules { get; set; } = [];

    /// <summary>The rules every close evaluates: the defaults (unless turned off), then the configured ones.</summary>
    public AlertSettings ToSettings() =>
        new([.. UseDefaults ? AlertRule.Defaults : [], .. Rules.Select(r => r.ToRule())]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = new HashSet<string>(UseDefaults ? AlertRule.Defaults.Select(d => d.Name) : [], StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"Alerts:Rules:{i}");
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 100 || rule.Name.Contains('|', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{at}:Name is required: 1 to 100 characters without '|'", [nameof(Rules)]);
            }
            else if (!names.Add(rule.Name))
            {
                yield return new ValidationResult($"{at}:Name '{rule.Name}' is used by another rule (or a default; set Alerts:UseDefaults to false to replace the defaults)", [nameof(Rules)]);
            }

            if (!AlertFigures.IsKnown(rule.Figure))
            {
                yield return new ValidationResult($"{at}:Figure '{rule.Figure}' is not a figure; use a snapshot figure or KPI (such as backlog, bookToBill, grr), {AlertRule.BacklogChange}, {AlertFigures.ReceivablesOver90Share} or {AlertRule.TargetVariancePrefix}<figure>", [nameof(Rules)]);
            }

            if (rule.Currency is not (AlertRule.EachCurrency or AlertRule.Consolidated) && !Currency.TryOf(rule.Currency, out _))
            {
                yield return new ValidationResult($"{at}:Currency '{rule.Currency}' must be an ISO 4217 code, '*' (each currency) or 'consolidated'", [nameof(Rules)]);
            }

            if (!AlertRule.TryParseOperator(rule.Operator, out _))
            {
                yield return new ValidationResult($"{at}:Operator '{rule.Operator}' must be one of <, <=, >, >=", [nameof(Rules)]);
            }

            if (rule.Threshold is null)
            {
                yield return new ValidationResult($"{at}:Threshold is required (a number such as -0.1 or 6)", [nameof(Rules)]);
            }

            if (rule.ForMonths is < 1 or > AlertRule.MaxForMonths)
            {
                yield return new ValidationResult($"{at}:ForMonths must be 1 to {AlertRule.MaxForMonths}", [nameof(Rules)]);
            }

            if (!AlertRule.TryParseSeverity(rule.Severity, out _))
            {
                yield return new ValidationResult($"{at}:Severity '{rule.Severity}' must be warning or critical", [nameof(Rules)]);
            }
        }
    }
}

/// <summary>One configured rule, as configuration binds it.</summary>
public sealed class AlertRuleOption
{
    public string Name { get; set; } = string.Empty;

    public string Figure { get; set; } = string.Empty;

    public string Currency { get; set; } = AlertRule.EachCurrency;

    public string Operator { get; set; } = string.Empty;

    public decimal? Threshold { get; set; }

    public int ForMonths { get; set; } = 1;

    public string Severity { get; set; } = "warning";

    public AlertRule ToRule()
    {
        _ = AlertRule.TryParseOperator(Operator, out var @operator);
        _ = AlertRule.TryParseSeverity(Severity, out var severity);
        return new AlertRule(Name, Figure, Currency, @operator, Threshold ?? 0m, ForMonths, severity);
    }
}
