using BacklogFunctions.Application.Files;

namespace BacklogFunctions.Host.Http;

/// <summary>The answer to an uploaded file with problems (<see cref="StrictCsv"/>): every problem by line and field, and nothing stored.</summary>
internal static class UploadedFile
{
    /// <param name="what">The file as titles name it: "rate file", "target file".</param>
    /// <param name="status">The status: 400, or 413 when the file has too many rows and that is a size problem.</param>
    public static IResult Problem<T>(FileResult<T> file, string what, int status = StatusCodes.Status400BadRequest)
    {
        var more = file.MoreErrors > 0 ? $" (the first {file.Errors.Count} listed, and {file.MoreErrors} more)" : string.Empty;
        return Results.Problem(
            title: status == StatusCodes.Status413PayloadTooLarge ? $"{char.ToUpperInvariant(what[0])}{what[1..]} too large" : $"Invalid {what}",
            detail: $"{file.Errors.Count + file.MoreErrors} problem(s){more}; nothing was stored. First: {file.Errors[0]}",
            statusCode: status,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = file.Errors.Select(e => new { line = e.Line, field = e.Field, message = e.Message }).ToList(),
                ["moreErrors"] = file.MoreErrors,
            });
    }
}
