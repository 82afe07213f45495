using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Publishing;

/// <summary><c>--publisher NAME --output-path DIR</c> (Aspire's switches; also <c>Publishing:Publisher</c> and <c>Publishing:OutputPath</c>).</summary>
internal sealed record PublishingOptions(string? Publisher, string? OutputPath)
{
    public static PublishingOptions From(IConfiguration configuration) => new(
        configuration["publisher"] ?? configuration["Publishing:Publisher"],
        configuration["output-path"] ?? configuration["Publishing:OutputPath"]);

    public bool IsPublishing => !string.IsNullOrEmpty(Publisher);
}
