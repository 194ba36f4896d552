using System.Reflection;
using BacklogFunctions.Application.Ingest;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Reports;
using BacklogFunctions.Storage;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Layers point inward: what each project's assembly may and may not reference.</summary>
public sealed class ArchitectureTests
{
    private static IReadOnlyList<string> References(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_domain_references_nothing_but_the_runtime() =>
        Assert.All(References(typeof(Period).Assembly), name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));

    [Fact]
    public void The_application_layer_knows_no_azure_sdk_no_pdf_and_no_host()
    {
        var references = References(typeof(EventIngestor).Assembly);

        Assert.DoesNotContain(references, n => n.StartsWith("Azure", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("SkiaSharp", StringComparison.Ordinal) || n.StartsWith("ScottPlot", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain("BacklogFunctions.Storage", references);
        Assert.DoesNotContain("BacklogFunctions.Reports", references);
    }

    [Fact]
    public void Storage_adapts_ports_without_the_board_pack()
    {
        var references = References(typeof(TableEventStore).Assembly);

        Assert.Contains("BacklogFunctions.Application", references);
        Assert.DoesNotContain("BacklogFunctions.Reports", references);
        Assert.DoesNotContain(references, n => n.StartsWith("SkiaSharp", StringComparison.Ordinal) || n.StartsWith("ScottPlot", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_draw_without_storage()
    {
        var references = References(typeof(BoardPack).Assembly);

        Assert.DoesNotContain("BacklogFunctions.Storage", references);
        Assert.DoesNotContain(references, n => n.StartsWith("Azure", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_host_composes_everything() =>
        Assert.Superset(
            new HashSet<string>(["BacklogFunctions.Application", "BacklogFunctions.Storage", "BacklogFunctions.Reports"]),
            References(typeof(BacklogApp).Assembly).ToHashSet());
}
