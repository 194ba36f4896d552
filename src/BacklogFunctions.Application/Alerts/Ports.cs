using BacklogFunctions.Domain.Alerts;

namespace BacklogFunctions.Application.Alerts;

/// <summary>One uploaded target file as stored: its version (1, 2, …), when it was uploaded, and its targets in file order.</summary>
public sealed record TargetVersion(int Version, DateTimeOffset UploadedAt, IReadOnlyList<Target> Targets);

/// <summary>
/// The uploaded targets (alerts.md, "Targets"): every upload is kept as a new version; the latest complete one
/// counts for closes that run after it. Nothing is ever overwritten or deleted.
/// </summary>
public interface ITargetStore
{
    /// <summary>Stores one upload (already validated as a whole) as the next version and answers its number.</summary>
    Task<int> AppendAsync(IReadOnlyList<Target> targets, DateTimeOffset uploadedAt, CancellationToken cancellationToken);

    /// <summary>One version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<TargetVersion?> ReadAsync(int? version, CancellationToken cancellationToken);
}

/// <summary>
/// A fired alert to deliver: its id (<c>{period}|v{version}|{name}|{currency}</c>) and the JSON body every receiver
/// gets (the alert object plus <c>period</c> and <c>version</c>, alerts.md "Names").
/// </summary>
public sealed record AlertNotice(string Id, string Body);

/// <summary>
/// Hands fired alerts over for delivery to every configured receiver. Implementations only enqueue (one message per
/// alert and receiver): delivery, its retries and its poison queue happen elsewhere, so a slow or failing receiver
/// never delays or fails a close.
/// </summary>
public interface IAlertOutbox
{
    Task SendAsync(IReadOnlyList<AlertNotice> notices, CancellationToken cancellationToken);
}
