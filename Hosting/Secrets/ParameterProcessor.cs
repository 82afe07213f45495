using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Secrets;

/// <summary>Gives every parameter its value before the application starts, or reports all missing ones at once.</summary>
internal static class ParameterProcessor
{
    public static void Resolve(IEnumerable<ParameterResource> parameters, IConfiguration configuration, SecretsStore secrets)
    {
        var missing = new List<MissingParameterValueException>();
        foreach (var parameter in parameters)
        {
            var value = configuration[parameter.ConfigurationKey] ?? parameter.Default switch
            {
                GenerateParameterDefault generated => secrets.GetOrCreate(parameter.ConfigurationKey, generated.GetDefaultValue),
                { } fixedDefault => fixedDefault.GetDefaultValue(),
                null => null,
            };
            if (value is null)
            {
                missing.Add(new MissingParameterValueException(parameter));
                continue;
            }

            parameter.SetValue(value);
        }

        if (missing.Count == 1)
        {
            throw missing[0];
        }

        if (missing.Count > 1)
        {
            throw new DistributedApplicationException(string.Join(Environment.NewLine, missing.Select(m => m.Message)));
        }
    }
}
