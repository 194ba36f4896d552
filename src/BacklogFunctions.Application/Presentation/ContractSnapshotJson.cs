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
}
