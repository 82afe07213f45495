namespace Aspire.Hosting;

/// <summary>Implemented by the generated <c>Projects.*</c> types: where a referenced project lives and what it builds.</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    /// <summary>The built assembly the orchestrator runs.</summary>
    string TargetPath { get; }
}
