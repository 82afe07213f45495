namespace Aspire.Hosting;

public sealed class DistributedApplication
{
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public void Run() => GC.KeepAlive(this);
}

public sealed class DistributedApplicationBuilder(string[] args)
{
    public DistributedApplication Build() => args is null ? throw new InvalidOperationException() : new();
}
