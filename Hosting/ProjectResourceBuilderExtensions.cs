using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// Adds a project of the solution (<c>Projects.X</c> is generated for each project the AppHost references). Its
    /// launch profile supplies endpoints and environment variables; it is run from its build output.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name, string? launchProfileName = null)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new TProject();
        var project = builder.AddResource(new ProjectResource(name, metadata));
        var profile = LaunchProfile.Load(metadata.ProjectPath, launchProfileName);

        foreach (var url in profile?.ApplicationUrls ?? [])
        {
            project.WithEndpoint(port: url.Port, scheme: url.Scheme, name: url.Scheme);
        }

        if (!project.Resource.Annotations.OfType<EndpointAnnotation>().Any())
        {
            project.WithHttpEndpoint();
        }

        if (profile is not null)
        {
            project.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
            {
                // Launch profiles describe local development; deployments get their settings from the model.
                if (context.ExecutionContext.IsPublishMode)
                {
                    return Task.CompletedTask;
                }

                foreach (var (key, value) in profile.EnvironmentVariables)
                {
                    context.EnvironmentVariables.TryAdd(key, value);
                }

                return Task.CompletedTask;
            }));
        }

        return project.WithOtlpExporter();
    }

    /// <summary>Runs <paramref name="replicas"/> processes of the project, each on its own port behind the endpoint's port.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        return builder.WithAnnotation(new ReplicaAnnotation(replicas), ResourceAnnotationMutationBehavior.Replace);
    }
}
