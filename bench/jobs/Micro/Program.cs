using BenchmarkDotNet.Running;

// Usage: dotnet run -c Release --project bench/jobs/Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Bench.Jobs.Micro.ExecutorBenchmarks).Assembly).Run(args);
