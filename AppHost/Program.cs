var builder = DistributedApplication.CreateBuilder(args);

var apiKey = builder.AddParameter("api-key", secret: true);

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var jobsDb = postgres.AddDatabase("jobsdb");
var cache = builder.AddRedis("cache");

builder.AddProject<Projects.Api>("api")
    .WithReference(jobsDb).WithReference(cache)
    .WaitFor(jobsDb).WaitFor(cache)
    .WithEnvironment("Auth__ApiKeys__0", apiKey)
    .WithReplicas(builder.Configuration.GetValue("AppHost:ApiReplicas", 1))
    .WithHttpHealthCheck("/health/ready")
    .WithMetricsEndpoint("/metrics", bearerToken: apiKey)
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.Worker>("worker")
    .WithReference(jobsDb).WithReference(cache)
    .WaitFor(jobsDb).WaitFor(cache)
    .WithEnvironment("Auth__ApiKeys__0", apiKey)
    .WithReplicas(builder.Configuration.GetValue("AppHost:WorkerReplicas", 2))
    .WithHttpHealthCheck("/health/ready")
    .WithMetricsEndpoint("/metrics", bearerToken: apiKey);

builder.Build().Run();
