using System.Net;
using System.Net.Http.Json;

namespace Deploy.Tests.Monitoring;

/// <summary>
/// Steady, modest load on the Api for a while: every job type's outcomes (succeeded, failed then dead, cancelled), agent
/// steps, reads, 404s and the synchronous tool, so every dashboard panel has something to show.
/// </summary>
public static class Traffic
{
    public static async Task RunAsync(HttpClient api, TimeSpan duration, CancellationToken cancellationToken)
    {
        // jobs.queue.depth only reports states that hold jobs; a job due in an hour keeps "scheduled" non-empty.
        await CreateAsync(api, new { type = "echo", input = new { later = true }, runAt = DateTimeOffset.UtcNow.AddHours(1) }, cancellationToken);

        var end = DateTimeOffset.UtcNow + duration;
        for (var round = 0; DateTimeOffset.UtcNow < end; round++)
        {
            await CreateAsync(api, new { type = "echo", input = new { round } }, cancellationToken);
            await CreateAsync(api, new { type = "agent", input = new { steps = new object[] { new { tool = "echo", input = "hello" }, new { tool = "uppercase" }, new { tool = "hash" } } } }, cancellationToken);
            if (round % 4 == 0)
            {
                // Fails its first attempt (failed, retried) and its second (dead).
                await CreateAsync(api, new { type = "fail", input = new { failures = 5 }, maxAttempts = 2 }, cancellationToken);
            }
            if (round % 8 == 0)
            {
                var id = await CreateAsync(api, new { type = "delay", input = new { ms = 60_000 } }, cancellationToken);
                await Task.Delay(300, cancellationToken);
                using var cancel = await api.PostAsync($"/api/v1/jobs/{id}/cancel", null, cancellationToken);
                Expect(cancel, HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.Conflict);
            }

            using var list = await api.GetAsync("/api/v1/jobs?limit=5", cancellationToken);
            Expect(list, HttpStatusCode.OK);
            using var missing = await api.GetAsync($"/api/v1/jobs/{Guid.CreateVersion7()}", cancellationToken);
            Expect(missing, HttpStatusCode.NotFound);
            using var echo = await api.PostAsJsonAsync("/api/v1/tools/echo", new { round }, cancellationToken);
            Expect(echo, HttpStatusCode.OK);

            await Task.Delay(400, cancellationToken);
        }
    }

    private static async Task<string> CreateAsync(HttpClient api, object job, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/jobs", job, cancellationToken);
        Expect(response, HttpStatusCode.Accepted);
        var created = await response.Content.ReadFromJsonAsync<CreatedJob>(cancellationToken);
        return created!.Id;
    }

    private static void Expect(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        }
    }

    private sealed record CreatedJob(string Id);
}
