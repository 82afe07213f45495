using System.Text.Json;
using Jobs.Model;
using Jobs.Storage;

namespace Jobs.Tests.Infrastructure;

/// <summary>Builders for jobs inserted straight through the store.</summary>
public static class TestJobs
{
    public static NewJob New(string type = "echo", string input = "{}", int priority = 5, int maxAttempts = 3, string queue = "default", DateTimeOffset? runAt = null) =>
        new(Guid.CreateVersion7(), type, queue, priority, maxAttempts, runAt, JsonDocument.Parse(input).RootElement.Clone(), "test", null, null, null, null, null);

    public static async Task<List<Guid>> InsertAsync(this JobStore store, int count, Func<int, NewJob>? make = null)
    {
        var jobs = Enumerable.Range(0, count).Select(i => make?.Invoke(i) ?? New()).ToList();
        await store.InsertManyAsync(jobs, CancellationToken.None);
        return [.. jobs.Select(j => j.Id)];
    }
}
