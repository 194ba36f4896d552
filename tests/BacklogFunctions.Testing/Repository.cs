namespace BacklogFunctions.Testing;

/// <summary>Where the repository is, seen from a test or benchmark binary.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BacklogFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BacklogFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
