namespace Aspire.Hosting.ApplicationModel;

public sealed class MissingParameterValueException(ParameterResource parameter) : DistributedApplicationException(
    $"Parameter '{parameter.Name}' has no value. Set it with `dotnet user-secrets set \"{parameter.ConfigurationKey}\" <value> --project AppHost`, " +
    $"the environment variable `Parameters__{parameter.Name}`, or the argument `--{parameter.ConfigurationKey}=<value>`.")
{
    public ParameterResource Parameter { get; } = parameter;
}
