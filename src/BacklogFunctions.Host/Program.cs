using BacklogFunctions.Host;

await BacklogApp.Build(args).RunAsync().ConfigureAwait(false);
