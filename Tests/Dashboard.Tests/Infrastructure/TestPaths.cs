namespace Dashboard.Tests.Infrastructure;

internal static class TestPaths
{
    // Tests/Dashboard.Tests in the source tree.
    public static string ProjectDirectory { get; } = FindProjectDirectory();

    // Saved with the test results (TestResults/ is what `dotnet test` writes to and git ignores).
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(ProjectDirectory, "TestResults", "screenshots")).FullName;

    private static string FindProjectDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dashboard.Tests.csproj")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Dashboard.Tests.csproj not found above the test output.");
    }
}
