using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests.InMemory;

/// <summary>The FX rate store in memory: append-only, read back by currency, date and upload, as the table orders them.</summary>
public sealed class InMemoryFxRateStore : IFxRateStore
{
    private readonly List<StoredFxRate> _rates = [];

    public Task AppendAsync(Currency reporting, IReadOnlyList<FxRate> rates, DateTimeOffset uploadedAt, CancellationToken cancellationToken)
    {
        lock (_rates)
        {
            _rates.AddRange(rates.Select(r => new StoredFxRate(reporting, r, uploadedAt)));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredFxRate>> ReadAsync(Currency reporting, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        lock (_rates)
        {
            return Task.FromResult<IReadOnlyList<StoredFxRate>>([.. _rates
                .Where(r => r.Reporting == reporting && (from is null || r.Rate.Date >= from) && (to is null || r.Rate.Date <= to))
                .OrderBy(r => r.Rate.Currency.Code, StringComparer.Ordinal)
                .ThenBy(r => r.Rate.Date)
                .ThenBy(r => r.UploadedAt)]);
        }
    }
}
