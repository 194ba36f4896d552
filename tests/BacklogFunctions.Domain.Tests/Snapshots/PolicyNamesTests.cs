using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Tests.Snapshots;

public class PolicyNamesTests
{
    [Theory]
    [InlineData("daily", ProrationPolicy.Daily)]
    [InlineData("monthly", ProrationPolicy.Monthly)]
    [InlineData("monthly-prorated", ProrationPolicy.MonthlyProrated)]
    public void Every_proration_has_one_name_both_ways(string name, ProrationPolicy policy)
    {
        Assert.Equal(policy, PolicyNames.ParseProration(name));
        Assert.Equal(name, PolicyNames.NameOf(policy));
    }

    [Theory]
    [InlineData("billed", DeferredBasis.Billed)]
    [InlineData("collected", DeferredBasis.Collected)]
    public void Every_deferred_basis_has_one_name_both_ways(string name, DeferredBasis basis)
    {
        Assert.Equal(basis, PolicyNames.ParseDeferredBasis(name));
        Assert.Equal(name, PolicyNames.NameOf(basis));
    }

    [Fact]
    public void The_table_names_every_value_of_both_enums()
    {
        Assert.Equal(Enum.GetValues<ProrationPolicy>().Select(PolicyNames.NameOf), PolicyNames.ProrationNames);
        Assert.Equal(Enum.GetValues<DeferredBasis>().Select(PolicyNames.NameOf), PolicyNames.DeferredBasisNames);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Daily")]
    [InlineData("weekly")]
    [InlineData("monthly_prorated")]
    [InlineData(" daily")]
    public void An_unknown_proration_is_refused_never_read_as_the_default(string? name)
    {
        Assert.False(PolicyNames.TryParseProration(name, out _));
        var error = Assert.Throws<FormatException>(() => PolicyNames.ParseProration(name));
        Assert.Contains("daily, monthly, monthly-prorated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cash")]
    [InlineData("Billed")]
    public void An_unknown_deferred_basis_is_refused(string? name)
    {
        Assert.False(PolicyNames.TryParseDeferredBasis(name, out _));
        Assert.Throws<FormatException>(() => PolicyNames.Options("daily", name));
    }

    [Fact]
    public void A_value_outside_the_enum_has_no_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyNames.NameOf((ProrationPolicy)42));
    }
}
