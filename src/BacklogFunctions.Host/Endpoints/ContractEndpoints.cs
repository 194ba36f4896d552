using System.Text.Json;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>The audit trail: <c>GET /api/contracts/{id}/history</c>.</summary>
internal static class ContractEndpoints
{
    public static void MapContractEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/contracts/{contractId}/history", HistoryAsync).AddEndpointFilter<ReadKeyFilter>();

    private static async Task<IResult> HistoryAsync(string contractId, IEventStore store, CancellationToken cancellationToken)
    {
        if (!Http.QueryValues.TryContractId(contractId, "contractId", out var problem))
        {
            return problem!;
        }

        var stored = await store.ReadContractAsync(contractId, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            return Results.Problem(title: "Unknown contract", detail: $"no events are stored for contract {contractId}", statusCode: StatusCodes.Status404NotFound);
        }

        // The order the engine applies them in: the signing, then effective date, occurrence time and id.
        var byKey = stored.ToDictionary(s => s.Event.Key);
        var ordered = ContractHistory.Create(contractId, stored.Select(s => s.Event)).Events.Select(e => byKey[e.Key]);
        return Results.Json(new
        {
            contractId,
            events = ordered.Select(s => new
            {
                id = s.Event.Id,
                source = s.Event.Source,
                type = s.Event.Type,
                businessDate = EventJson.Iso(s.Event.BusinessDate),
                effectiveDate = EventJson.Iso(s.Event.EffectiveDate),
                occurredAt = s.Event.OccurredAt,
                receivedAt = s.ReceivedAt,
                channel = s.Channel,
                payloadSha256 = s.PayloadHash,
                payload = JsonDocument.Parse(s.RawJson).RootElement,
            }),
        });
    }
}
