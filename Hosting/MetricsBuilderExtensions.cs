using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class MetricsBuilderExtensions
{
    /// <summary>
    /// Declares the Prometheus endpoint (ServiceDefaults' <c>/metrics</c>) and the credential it requires, so the
    /// Kubernetes publisher writes a ServiceMonitor that scrapes it with <c>authorization: credentials</c>.
    /// </summary>
    public static IResourceBuilder<T> WithMetricsEndpoint<T>(this IResourceBuilder<T> builder, string path = "/metrics",
        IResourceBuilder<ParameterResource>? bearerToken = null, string endpointName = "http") where T : IResourceWithEndpoints
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.WithAnnotation(new MetricsEndpointAnnotation(path, endpointName, bearerToken?.Resource), ResourceAnnotationMutationBehavior.Replace);
    }
}
