using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Images;

/// <summary>What a deployment relies on in each image's configuration and layers.</summary>
[Collection(LiveSystemCollection.Name)]
public sealed class ImageConfigTests(ContainerImages images)
{
    public static TheoryData<string, string, string[]> Images => new()
    {
        { "api", "Api.dll", ["8080/tcp"] },
        { "worker", "Worker.dll", ["8080/tcp"] },
        { "aspire-dashboard", "Aspire.Dashboard.dll", ["18888/tcp", "18889/tcp", "18890/tcp"] },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Runs_the_app_as_the_non_root_app_user(string repository, string assembly, string[] ports)
    {
        var image = images[repository];

        Assert.Equal("1654", image.RunAs);
        Assert.Equal(["dotnet", $"/app/{assembly}"], image.Command);
        Assert.Equal("/app/", image.WorkingDirectory);
        Assert.Equal(ports.Order(), image.Ports.Order());
        Assert.Equal("linux", image.Config.GetProperty("os").GetString());
        Assert.Equal("true", image.Environment["DOTNET_RUNNING_IN_CONTAINER"]);
        Assert.Equal(["0.1.0", "latest"], image.Tags.Order());
        Assert.Contains(image.Entries(image.Layers.Count - 1), e => e.Path == $"app/{assembly}");
    }

    [Fact]
    public void Services_listen_on_8080_and_the_dashboard_on_its_three_ports()
    {
        Assert.Equal("8080", images["api"].Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8080", images["worker"].Environment["ASPNETCORE_HTTP_PORTS"]);

        var dashboard = images["aspire-dashboard"].Environment;
        Assert.Equal("http://+:18888", dashboard["ASPNETCORE_URLS"]);
        Assert.Equal("http://+:18889", dashboard["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.Equal("http://+:18890", dashboard["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]);
        Assert.Equal("", dashboard["ASPNETCORE_HTTP_PORTS"]);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("aspire-dashboard")]
    public void Base_is_distroless_with_the_aspnet_runtime_and_an_app_home(string repository)
    {
        var image = images[repository];
        var baseLayer = image.Entries(0).ToList();
        var paths = baseLayer.Select(e => e.Path).ToHashSet();

        Assert.Contains("usr/bin/dotnet", paths);
        Assert.Contains($"usr/share/dotnet/shared/Microsoft.AspNetCore.App/{image.Environment["ASPNET_VERSION"]}/Microsoft.AspNetCore.dll", paths);
        Assert.Contains("etc/ssl/certs/ca-certificates.crt", paths);
        Assert.Contains("etc/nsswitch.conf", paths);
        Assert.Contains(paths, p => p.StartsWith("usr/share/zoneinfo/", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p is "bin/sh" or "usr/bin/sh" or "bin/bash" or "usr/bin/apt" or "usr/bin/dpkg");
        Assert.Contains(baseLayer, e => e.Path == "home/app" && e.Uid == 1654);
        Assert.All(baseLayer.Where(e => e.Path != "home/app"), e => Assert.Equal(0, e.Uid));
    }
}
