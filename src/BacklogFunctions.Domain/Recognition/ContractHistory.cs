using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>A problem found when a contract's events are put together (not in one event on its own).</summary>
public sealed record ReplayIssue(string ContractId, string? EventId, string Field, string Reason)
{
    public override string ToString() => $"event {EventId ?? "(none)"} (contract {ContractId}): {Field}: {Reason}";
}

/// <summary>
/// Every event of one contract, deduplicated and in effective order: the signing first, then by effective
/// date, occurrence time and id — never by arrival. Replaying it as known on a day gives the contract's
/// position on that day.
/// </summary>
public sealed class ContractHistory
{
    private readonly ContractEvent[] _ordered;

    // Values derived from one object of this history's events (a line's billing plan, its annual amount), by the
    // object (compared by reference) and the value's kind; created on first use, read under the lock.
    private Dictionary<(object Key, Type Kind), object>? _derived;
    private readonly Lock _derivedGate = new();

    private ContractHistory(string contractId, ContractEvent[] ordered, ContractSigned? signing)
    {
        ContractId = contractId;
        _ordered = ordered;
        Signing = signing;
    }

    public string ContractId { get; }

    public ContractSigned? Signing { get; }

    public Currency? Currency => Signing?.Currency;

    public IReadOnlyList<ContractEvent> Events => _ordered;

    /// <summary>
    /// Builds one contract's history. The same event twice counts once; the same id with other content is a
    /// conflict and is reported (the first one delivered is kept).
    /// </summary>
    public static ContractHistory Create(string contractId, IEnumerable<ContractEvent> events, ICollection<ReplayIssue>? issues = null)
    {
        var byKey = new Dictionary<EventKey, ContractEvent>();
        ContractSigned? signing = null;
        foreach (var e in events)
        {
            if (!string.Equals(e.ContractId, contractId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"event {e.Id} belongs to contract {e.ContractId}, not {contractId}", nameof(events));
            }

            if (byKey.TryGetValue(e.Key, out var existing))
            {
                if (!ReferenceEquals(existing, e) &&
                    !string.Equals(EventJson.Canonical(existing), EventJson.Canonical(e), StringComparison.Ordinal))
                {
                    issues?.Add(new ReplayIssue(contractId, e.Id, "id", "the same id was delivered with different content (conflict); the first delivery is kept"));
                }

                continue;
            }

            if (e is ContractSigned s)
            {
                if (signing is not null)
                {
                    issues?.Add(new ReplayIssue(contractId, e.Id, "type", $"the contract was already signed by event {signing.Id}"));
                    continue;
                }

                signing = s;
            }

            byKey.Add(e.Key, e);
        }

        var ordered = byKey.Values.ToArray();
        Array.Sort(ordered, EffectiveOrder.Instance);
        var history = new ContractHistory(contractId, ordered, signing);
        if (issues is not null)
        {
            history.Check(issues);
        }

        return history;
    }

    /// <summary>
    /// A value of kind <typeparamref name="T"/> derived from <paramref name="key"/> (an object of this history's own
    /// events, compared by reference) and the history alone, computed the first time it is asked for: every position
    /// replayed from the history reuses it, and it lives exactly as long as the history.
    /// </summary>
    internal T Derived<T, TState>(object key, TState state, Func<object, TState, T> create)
        where T : class
    {
        lock (_derivedGate)
        {
            _derived ??= new Dictionary<(object Key, Type Kind), object>(ByReference.Instance);
            if (_derived.TryGetValue((key, typeof(T)), out var known))
            {
                return (T)known;
            }

            var created = create(key, state);
            _derived.Add((key, typeof(T)), created);
            return created;
        }
    }

    /// <summary>Keys of <see cref="Derived{T, TState}"/>: the same object (not an equal one) and the same kind.</summary>
    private sealed class ByReference : IEqualityComparer<(object Key, Type Kind)>
    {
        public static readonly ByReference Instance = new();

        public bool Equals((object Key, Type Kind) x, (object Key, Type Kind) y) => ReferenceEquals(x.Key, y.Key) && x.Kind == y.Kind;

        public int GetHashCode((object Key, Type Kind) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Key), obj.Kind);
    }

    /// <summary>The contract as known at the end of <paramref name="knownOn"/>: only events whose business date is on or before it.</summary>
    /// <exception cref="InvalidOperationException">The history has no signing: there is no contract to replay.</exception>
    /// <param name="progressDecimals">Fraction digits a progress line's ratio is rounded to before use (setting <c>progressDecimals</c>); null for the exact ratio.</param>
    public ContractPosition At(DateOnly knownOn, ProrationPolicy policy, int? progressDecimals = null) =>
        Signing is null
            ? throw new InvalidOperationException($"contract {ContractId} has no contract.signed event")
            : Replay(knownOn, policy, progressDecimals, issues: null);

    /// <summary>
    /// The same replay as <see cref="At"/>, calling <paramref name="applied"/> after each event is applied (with the
    /// position as it stands then): how an explanation sees what each event contributed.
    /// </summary>
    internal ContractPosition At(DateOnly knownOn, ProrationPolicy policy, int? progressDecimals, Action<ContractEvent, ContractPosition> applied) =>
        Signing is null
            ? throw new InvalidOperationException($"contract {ContractId} has no contract.signed event")
            : Replay(knownOn, policy, progressDecimals, issues: null, applied);

    private void Check(ICollection<ReplayIssue> issues)
    {
        if (Signing is null)
        {
            issues.Add(new ReplayIssue(ContractId, null, "contractId", "no contract.signed event for this contract"));
            return;
        }

        foreach (var e in _ordered)
        {
            var amount = e switch
            {
                InvoiceIssued i => i.Amount,
                CreditNoteIssued n => n.Amount,
                PaymentReceived p => p.Amount,
                _ => 0m,
            };
            if (!Signing.Currency.Fits(amount))
            {
                issues.Add(new ReplayIssue(ContractId, e.Id, "data.amount", string.Create(CultureInfo.InvariantCulture, $"{amount} has {amount.Scale} fraction digits; {Signing.Currency.Code} allows {Signing.Currency.MinorUnit}")));
            }

            if (e is ContractAmended a)
            {
                foreach (var line in a.Lines)
                {
                    var amounts = line.Milestones.Select(m => m.Amount).Concat(line.Billing?.Schedule.Select(i => i.Amount) ?? []).Append(line.Amount);
                    if (amounts.Any(x => !Signing.Currency.Fits(x)))
                    {
                        issues.Add(new ReplayIssue(ContractId, e.Id, "data.lines", $"line {line.LineId} has more fraction digits than {Signing.Currency.Code} allows ({Signing.Currency.MinorUnit})"));
                    }
                }
            }

            if (e.BusinessDate < Signing.SignedDate && e is ContractAmended or ContractCancelled or DeliveryCompleted or MilestoneCompleted or ProgressReported or UsageReported)
            {
                issues.Add(new ReplayIssue(ContractId, e.Id, "data", $"dated {EventJson.Iso(e.BusinessDate)}, before the contract was signed ({EventJson.Iso(Signing.SignedDate)})"));
            }
        }

        Replay(EventJson.LatestDate, ProrationPolicy.Daily, null, issues);
    }

    private ContractPosition Replay(DateOnly knownOn, ProrationPolicy policy, int? progressDecimals, ICollection<ReplayIssue>? issues, Action<ContractEvent, ContractPosition>? applied = null)
    {
        var position = new ContractPosition(this, knownOn, policy, progressDecimals);
        foreach (var e in _ordered)
        {
            if (e.BusinessDate <= knownOn)
            {
                position.Apply(e, issues);
                applied?.Invoke(e, position);
            }
        }

        return position;
    }

    private sealed class EffectiveOrder : IComparer<ContractEvent>
    {
        public static readonly EffectiveOrder Instance = new();

        public int Compare(ContractEvent? x, ContractEvent? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var signedFirst = (y is ContractSigned).CompareTo(x is ContractSigned);
            if (signedFirst != 0)
            {
                return signedFirst;
            }

            var byDate = x!.EffectiveDate.CompareTo(y!.EffectiveDate);
            if (byDate != 0)
            {
                return byDate;
            }

            var byTime = x.OccurredAt.CompareTo(y.OccurredAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Key.ToString(), y.Key.ToString());
        }
    }
}
