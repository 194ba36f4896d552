using BacklogFunctions.Application.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Reports;

/// <summary>The board pack and workbook renderers, for the composition root.</summary>
public static class DependencyInjection
{
    /// <param name="services">The composition.</param>
    /// <param name="fontDirectory">Where the Liberation Sans files are (null: <c>fonts/</c> next to the program).</param>
    public static IServiceCollection AddBacklogReports(this IServiceCollection services, Func<IServiceProvider, string?> fontDirectory)
    {
        services.AddSingleton(sp => ReportFonts.Load(fontDirectory(sp)));
        services.AddSingleton<BoardPack>();
        services.AddSingleton<IBoardPackRenderer>(sp => sp.GetRequiredService<BoardPack>());
        services.AddSingleton<IWorkbookRenderer, Workbook>();
        return services;
    }
}
