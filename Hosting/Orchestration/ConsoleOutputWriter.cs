using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.Orchestration;

/// <summary>Echoes every resource's console output on the AppHost's console, each line prefixed with its resource.</summary>
internal sealed class ConsoleOutputWriter(ResourceLoggerService logs, IOptions<HostingOptions> options) : IHostedService
{
    private static readonly ConsoleColor[] Palette = [ConsoleColor.Cyan, ConsoleColor.Magenta, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConsoleColor> _colors = new(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ConsoleOutput)
        {
            logs.LineAdded += Write;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        logs.LineAdded -= Write;
        return Task.CompletedTask;
    }

    private void Write(string resourceId, LogLine line)
    {
        lock (_lock)
        {
            if (!_colors.TryGetValue(resourceId, out var color))
            {
                color = Palette[_colors.Count % Palette.Length];
                _colors[resourceId] = color;
            }

            var colored = !Console.IsOutputRedirected;
            if (colored)
            {
                Console.ForegroundColor = color;
            }

            Console.Out.Write($"{resourceId,-14}| ");
            if (colored)
            {
                Console.ResetColor();
            }

            Console.Out.WriteLine(line.Content);
        }
    }
}
