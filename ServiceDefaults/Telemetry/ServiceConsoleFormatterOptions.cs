using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from <c>Logging:Console:FormatterOptions</c>.</summary>
public sealed class ServiceConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>JSON lines (true) or readable text (false); default: JSON outside Development.</summary>
    public bool? Json { get; set; }
}
