using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class HttpClientDefaultsTests
{
    [Fact]
    public async Task Every_http_client_retries_transient_failures_and_resolves_service_names()
    {
        var calls = 0;
        await using var flaky = await TestService.StartAsync(map: app => app.MapGet("/flaky", () =>
            Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text("finally")));
        await using var caller = await TestService.StartAsync(
            map: app => app.MapGet("/call", async (IHttpClientFactory factory) => await factory.CreateClient().GetStringAsync(new Uri("http://flaky/flaky"))),
            configuration: new Dictionary<string, string?> { ["services:flaky:http:0"] = flaky.BaseAddress.ToString().TrimEnd('/') });

        using var response = await caller.Http.GetAsync("/call");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finally", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_outside_development_only()
    {
        using var certificate = SelfSignedCertificate();
        foreach (var (environment, expected) in new[] { ("Production", true), ("Development", false) })
        {
            await using var service = await TestService.StartAsync(environment: environment, configure: builder =>
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate))));
            var https = service.App.Urls.Single(u => u.StartsWith("https://", StringComparison.Ordinal));
            using var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() } };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(https) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/items/1");
            // HSTS is never sent to localhost names; a real host name is what browsers would remember.
            request.Headers.Host = "api.example.com";
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, response.Headers.Contains("Strict-Transport-Security"));
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=api.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
