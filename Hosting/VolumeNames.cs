using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Aspire's volume naming: <c>{application}-{hash of the AppHost path}-{resource}-{suffix}</c>, stable across runs.</summary>
public static class VolumeNames
{
    public static string Generate<T>(IResourceBuilder<T> builder, string suffix) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"{AppHostPaths.ComputeAppKey(builder.ApplicationBuilder.Environment.ApplicationName, builder.ApplicationBuilder.AppHostDirectory)}-{builder.Resource.Name}-{suffix}";
    }
}
