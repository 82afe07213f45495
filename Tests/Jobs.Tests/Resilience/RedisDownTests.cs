using Jobs.Model;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Resilience;

public sealed class RedisDownTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task Jobs_still_complete_while_Redis_is_stopped()
    {
        await app.App.ResourceCommands.ExecuteCommandAsync("cache", "stop");
        try
        {
            var jobs = new List<JobRecord>();
            for (var i = 0; i < 10; i++)
            {
                jobs.Add(await app.EnqueueAsync(i % 2 == 0 ? "echo" : "agent", i % 2 == 0 ? new { i } : new { steps = new[] { new { tool = "uppercase", input = "x" } } }));
            }
            foreach (var job in jobs)
            {
                Assert.Equal(JobState.Succeeded, (await app.WaitForFinishAsync(job.Id, TimeSpan.FromSeconds(30))).State);
            }
        }
        finally
        {
            await app.App.ResourceCommands.ExecuteCommandAsync("cache", "start");
        }
    }
}
