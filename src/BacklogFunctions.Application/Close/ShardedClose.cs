using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Close;

/// <summary>What starting a fanned-out close did: which month it started (or found under way) and how many messages it sent.</summary>
public sealed record CloseStart(Period? Period, int Shards, int Sent, Period? LastEnded);

/// <summary>What one shard did.</summary>
public sealed record ShardOutcome(bool Written, int Contracts, int Events, ClosedPeriod? Closed, string Log)
{
    /// <summary>Why the message can never run (it names no started close, or a shard that close does not have); null when it ran or had nothing to do.</summary>
    public string? Refusal { get; init; }

    public static ShardOutcome Refused(string reason) => new(false, 0, 0, null, reason) { Refusal = reason };
}

/// <summary>
/// The month-end close fanned out by contract shard, so that many instances share a large close. Months still
/// close one after another (each opens from the locked closing of the month before):
/// <list type="number">
/// <item>the coordinator records a job for the next due month (its shard count, policies and the contract-id
/// ranges of the shards) and sends one <c>close-shards</c> message per shard;</item>
/// <item>each shard reads its range of contracts with one range scan, replays them, writes their rows, and
/// records itself done;</item>
/// <item>the shard that finds every shard done combines all rows into the totals, writes the document, marks
/// the month closed, requests its reports and starts the next due month.</item>
/// </list>
/// A redelivered shard writes the same rows again; two shards that both see the job complete both combine the
/// same rows into the same result, and only one of them can record the next month's job.
/// </summary>
public sealed class ShardedClose(ContractHistories histories, ISnapshotStore snapshots, ICloseJobs jobs, ICloseShardQueue queue, IReportRequests reports, TimeProvider clock, CloseSettings settings, Consolidation.GroupFigures? group = null, Alerts.PlanAndAlerts? alerts = null)
{
    /// <summary>
    /// Starts the first month that has ended and is not closed; when its close is under way already, sends again
    /// the shards that have not finished (a lost or poisoned message is recovered by the next scheduled run).
    /// </summary>
    public async Task<CloseStart> StartDueAsync(int shards, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shards, CloseShardMessage.MaxShards);
        var lastEnded = Period.Of(settings.Today(clock)).Previous;
        var closed = await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false);
        Period? next = closed.Count > 0
            ? closed[^1].Period.Next
            : await histories.FirstSigningAsync(cancellationToken).ConfigureAwait(false) is { } first ? Period.Of(first) : null;
        if (next is not { } period || period > lastEnded)
        {
            return new CloseStart(null, 0, 0, lastEnded);
        }

        return await StartAsync(period, shards, resendMissing: true, lastEnded, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CloseStart> StartAsync(Period period, int shards, bool resendMissing, Period lastEnded, CancellationToken cancellationToken)
    {
        var job = new CloseJob(period, 1, shards, clock.GetUtcNow(), settings.Options, CloseJob.BoundariesOf(await histories.ContractIdsAsync(cancellationToken).ConfigureAwait(false), shards));
        IEnumerable<int> toSend;
        if (await jobs.TryStartAsync(job, cancellationToken).ConfigureAwait(false))
        {
            toSend = Enumerable.Range(0, shards);
        }
        else
        {
            job = await jobs.FindJobAsync(period, 1, cancellationToken).ConfigureAwait(false) ?? job;
            if (!resendMissing)
            {
                return new CloseStart(period, job.Shards, 0, lastEnded);
            }

            var done = (await jobs.ListCompletedAsync(period, 1, cancellationToken).ConfigureAwait(false)).Select(s => s.Shard).ToHashSet();
            toSend = Enumerable.Range(0, job.Shards).Where(s => !done.Contains(s));
        }

        var messages = toSend.Select(s => new CloseShardMessage(period, job.Version, s, job.Shards)).ToList();
        await queue.SendAsync(messages, cancellationToken).ConfigureAwait(false);
        return new CloseStart(period, job.Shards, messages.Count, lastEnded);
    }

    /// <summary>
    /// Computes and writes one shard's contract rows and records it done; the shard that completes the job
    /// combines the rows and closes the month. A shard of a month that is closed already does nothing.
    /// </summary>
    /// <returns>The outcome; <see cref="ShardOutcome.Refusal"/> says why a message that names no recorded job, or disagrees with it, can never run.</returns>
    public async Task<ShardOutcome> RunShardAsync(CloseShardMessage message, CancellationToken cancellationToken)
    {
        var (period, version) = (message.Period, message.Version);
        if (await snapshots.FindClosedAsync(period, cancellationToken).ConfigureAwait(false) is { } current && current.Version >= version)
        {
            return new ShardOutcome(false, 0, 0, null, $"{period} v{version} is closed already: shard {message.Shard} has nothing to do");
        }

        if (await jobs.FindJobAsync(period, version, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return ShardOutcome.Refused($"no close of {period} version {version} was started");
        }

        if (job.Shards != message.Shards || message.Shard < 0 || message.Shard >= job.Shards)
        {
            return ShardOutcome.Refused($"shard {message.Shard} of {message.Shards} does not belong to the close of {period} v{version}, which has {job.Shards} shard(s)");
        }

        // The shard reads its contracts while the locked opening is read.
        var (from, to) = job.RangeOf(message.Shard);
        var loading = histories.LoadRangeAsync(from, to, cancellationToken);
        var previous = await snapshots.FindClosedAsync(period.Previous, cancellationToken).ConfigureAwait(false);
        var locked = previous is null ? null : await snapshots.ReadLockedClosingsAsync(previous.Period, previous.Version, cancellationToken).ConfigureAwait(false);
        var (contracts, events) = await loading.ConfigureAwait(false);

        var calculator = new SnapshotCalculator(job.Options) { WithForecasts = true };
        var signed = contracts.Where(c => c.Signing is not null).ToList();
        var snapshot = locked is not null
            ? calculator.ForPeriodAfterLocked(signed, period, id => locked.GetValueOrDefault(id, LockedClosing.None))
            : calculator.ForPeriod(signed, period);
        await snapshots.WriteContractsAsync(period, version, snapshot.Contracts, cancellationToken).ConfigureAwait(false);

        var completed = await jobs.CompleteShardAsync(period, version, new CompletedShard(message.Shard, snapshot.Contracts.Count, events, calculator.Waterfall(signed, period.LastDay)), cancellationToken).ConfigureAwait(false);
        var log = $"{period} v{version} shard {message.Shard} of {job.Shards}: {snapshot.Contracts.Count} contract(s) from {events} event(s); {completed.Count} of {job.Shards} shard(s) done";
        if (completed.Count < job.Shards)
        {
            return new ShardOutcome(true, snapshot.Contracts.Count, events, null, log);
        }

        var closed = await CombineAsync(job, completed, cancellationToken).ConfigureAwait(false);
        return new ShardOutcome(true, snapshot.Contracts.Count, events, closed, $"{log}; closed {period} v{version} ({closed.Contracts} contracts)");
    }

    /// <summary>Every row is written: the totals, then the closed marker, then reports and the next month.</summary>
    private async Task<ClosedPeriod> CombineAsync(CloseJob job, IReadOnlyList<CompletedShard> completed, CancellationToken cancellationToken)
    {
        var contracts = await snapshots.ReadContractSnapshotsAsync(job.Period, job.Version, cancellationToken).ConfigureAwait(false);
        var snapshot = new SnapshotCalculator(job.Options).Combine(job.Period, contracts, includeContracts: false) with
        {
            Waterfalls = Waterfall.Sum(completed.SelectMany(s => s.Waterfalls)),
        };
        if (group is not null)
        {
            var previous = await snapshots.FindClosedAsync(job.Period.Previous, cancellationToken).ConfigureAwait(false);
            // Customers are consolidated from the contract rows the shards wrote.
            var consolidated = Consolidation.GroupFigures.With(snapshot with { Contracts = contracts }, await group.RatesAsync(cancellationToken).ConfigureAwait(false), await group.OpeningRatesAsync(previous, cancellationToken).ConfigureAwait(false));
            snapshot = snapshot with { Consolidated = consolidated.Consolidated };
        }

        if (alerts is not null)
        {
            snapshot = await alerts.WithAsync(snapshot, job.Version, await alerts.TargetsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        await snapshots.WriteDocumentAsync(snapshot, job.Version, cancellationToken).ConfigureAwait(false);
        if (alerts is not null)
        {
            await alerts.NotifyAsync(snapshot, job.Version, cancellationToken).ConfigureAwait(false);
        }

        var closed = new ClosedPeriod(job.Period, job.Version, clock.GetUtcNow(), contracts.Count, completed.Sum(s => s.Events), job.Options);
        await snapshots.MarkClosedAsync(closed, cancellationToken).ConfigureAwait(false);
        await reports.RequestAsync(closed, cancellationToken).ConfigureAwait(false);

        var lastEnded = Period.Of(settings.Today(clock)).Previous;
        if (job.Version == 1 && job.Period.Next <= lastEnded)
        {
            await StartAsync(job.Period.Next, job.Shards, resendMissing: false, lastEnded, cancellationToken).ConfigureAwait(false);
        }

        return closed;
    }
}
