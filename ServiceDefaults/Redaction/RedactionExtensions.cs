using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

internal static class RedactionExtensions
{
    public static IServiceCollection AddTelemetryRedaction(this IServiceCollection services)
    {
        services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.SectionName);
        services.AddSingleton<TelemetryRedactor>();
        services.AddSingleton<PersonalDataRedactor>();
        services.AddRedaction(redaction => redaction
            .SetRedactor<ErasingRedactor>(new DataClassificationSet(DataClassifications.Secret))
            .SetRedactor<PersonalDataRedactor>(new DataClassificationSet(DataClassifications.Personal))
            .SetFallbackRedactor<ErasingRedactor>());
        return services;
    }
}
