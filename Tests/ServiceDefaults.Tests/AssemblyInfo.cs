// ActivitySources and meters are process-wide: a tracer provider in one test would also record the requests of a
// service started by another test running in parallel. The tests run one at a time so each sees only its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
