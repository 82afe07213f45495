namespace Deploy.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from (the directory holding Aspire.sln above the test output).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Aspire.sln not found above {AppContext.BaseDirectory}.");
    }
}
