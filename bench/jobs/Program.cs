using Bench.Jobs;

// Usage: dotnet run -c Release --project bench/jobs -- [--burn-down N] [--batch N] [--single N] [--idle N] [--hangfire N]
//        [--workers N] [--concurrency N]
var options = BenchOptions.Parse(args);
Console.WriteLine($"load average at start: {Result.LoadAverage()}");
await using var system = await JobSystem.StartAsync(options);
var results = new List<Result>();

await Scenarios.WarmUpAsync(system);
results.Add(await Scenarios.BurnDownAsync(system, options.BurnDown));
results.Add(await Scenarios.BatchEnqueueAsync(system, options.Batch));
results.Add(await Scenarios.SinglePerRequestAsync(system, options.Single));
results.AddRange(await Scenarios.IdleLatencyAsync(system, options.Idle));
results.AddRange(await HangfirePeer.RunAsync(system.ServerConnectionString, options.Hangfire, options.Idle));

Console.WriteLine();
Console.WriteLine(Result.MarkdownHeader);
results.ForEach(r => Console.WriteLine(r.ToMarkdown()));
