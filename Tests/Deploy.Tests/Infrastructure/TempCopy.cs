namespace Deploy.Tests.Infrastructure;

/// <summary>A copy of a directory's files in a fresh temporary directory, deleted on dispose.</summary>
public sealed class TempCopy : IDisposable
{
    public TempCopy(string source)
    {
        Path = Directory.CreateTempSubdirectory("deploy-tests-").FullName;
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
