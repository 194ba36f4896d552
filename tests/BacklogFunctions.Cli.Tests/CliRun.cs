using System.Globalization;

namespace BacklogFunctions.Cli.Tests;

/// <summary>Runs the <c>backlog</c> command in process, with no standard input, and answers its exit code and both outputs.</summary>
internal static class CliRun
{
    public static (int Exit, string Out, string Err) Run(string[] args, Func<string, string?>? environment = null)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(args, stdout, stderr, () => Stream.Null, showProgress: false, environment ?? (_ => null), TimeProvider.System);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
