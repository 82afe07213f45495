using Deploy.Tests.Images;
using Deploy.Tests.Monitoring;

namespace Deploy.Tests.Infrastructure;

/// <summary>
/// Tests that need the running system share one app (with its Prometheus) and one set of published images: each costs
/// minutes on this machine, so they are made once, in this order, and the tests run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveSystemCollection : ICollectionFixture<MonitoredSystem>, ICollectionFixture<ContainerImages>
{
    public const string Name = "live system";
}
