using BacklogFunctions.Cli;

return BacklogCommand.Run(args, Console.Out, Console.Error, Console.OpenStandardInput, showProgress: !Console.IsErrorRedirected);
