using System.Text;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

public sealed class StdoutWriterTests
{
    [Fact]
    public async Task Lines_from_many_threads_arrive_whole_in_order_per_thread_and_all_are_written_on_dispose()
    {
        using var output = new MemoryStream();
        var writer = new StdoutWriter(output);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                writer.Append(Encoding.UTF8.GetBytes($"t{thread} {i:D5} ✓\n"));
            }
        })));
        writer.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20_000, lines.Length);
        for (var thread = 0; thread < 4; thread++)
        {
            var own = lines.Where(l => l.StartsWith($"t{thread} ", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"t{thread} {i:D5} ✓"), own);
        }
    }

    [Fact]
    public async Task A_single_line_on_an_idle_writer_is_written_without_waiting_for_more()
    {
        using var output = new MemoryStream();
        using var writer = new StdoutWriter(output);
        writer.Append("alone\n"u8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (output.Length == 0)
        {
            await Task.Delay(5, timeout.Token);
        }
        Assert.Equal("alone\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
