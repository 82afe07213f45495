using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Publishing;

/// <summary><c>--publisher NAME --output-path DIR</c> (Aspire's switches; also <c>Publishing:Publisher</c> and <c>Publishing:OutputPath</c>).</summary>
/// <remarks>Project images are named <c>{ContainerRegistry/}{resource}:{ImageTag}</c>, as <c>dotnet publish -t:PublishContainer</c> names them.</remarks>
internal sealed record PublishingOptions(string? Publisher, string? OutputPath, string? ContainerRegistry, string ImageTag)
{
    public static PublishingOptions From(IConfiguration configuration) => new(
        configuration["publisher"] ?? configuration["Publishing:Publisher"],
        configuration["output-path"] ?? configuration["Publishing:OutputPath"],
        configuration["Publishing:ContainerRegistry"],
        configuration["Publishing:ImageTag"] ?? "latest");

    public string ProjectImage(string resourceName) =>
        string.IsNullOrEmpty(ContainerRegistry) ? $"{resourceName}:{ImageTag}" : $"{ContainerRegistry.TrimEnd('/')}/{resourceName}:{ImageTag}";

    public bool IsPublishing => !string.IsNullOrEmpty(Publisher);
}
