using System.Net;
using System.Net.Http.Json;
using System.Text;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Malformed_json_is_400_problem()
    {
        using var content = new StringContent("{\"name\": \"a\", \"quantity\": ", Encoding.UTF8, "application/json");
        using var response = await _service.Http.PostAsync("/items", content);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_failure_is_422_problem_with_errors()
    {
        using var response = await _service.Http.PostAsJsonAsync("/validate", new Item("a", -1));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Quantity must be positive.", problem.GetProperty("errors").GetProperty("quantity")[0].GetString());
    }

    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        using var response = await _service.Http.GetAsync("/no/such/thing");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        using var response = await _service.Http.DeleteAsync("/items/1");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        using var content = new StringContent("name=a", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _service.Http.PostAsync("/items", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Body_over_the_default_1MiB_limit_is_413_problem()
    {
        var big = "{\"name\":\"" + new string('x', 1024 * 1024 + 10) + "\",\"quantity\":1}";
        using var content = new StringContent(big, Encoding.UTF8, "application/json");
        using var response = await _service.Http.PostAsync("/items", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Body_under_the_limit_is_accepted()
    {
        using var response = await _service.Http.PostAsJsonAsync("/items", new Item(new string('x', 900 * 1024), 1));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_endpoint_can_raise_its_own_limit()
    {
        using var response = await _service.Http.PostAsJsonAsync("/uploads", new Item(new string('x', 2 * 1024 * 1024), 1));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/limited", HttpStatusCode.TooManyRequests)]
    [InlineData("/unavailable", HttpStatusCode.ServiceUnavailable)]
    public async Task Bodiless_error_statuses_become_problems(string path, HttpStatusCode status)
    {
        using var response = await _service.Http.GetAsync(path);
        await ProblemAssert.IsProblemAsync(response, status);
    }

    [Fact]
    public async Task Unhandled_exception_is_500_problem_without_details_outside_development()
    {
        using var response = await _service.Http.GetAsync("/boom");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("exception", out _));
        Assert.False(problem.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task Unhandled_exception_in_development_shows_details()
    {
        await using var dev = await TestService.StartAsync(environment: "Development");
        using var response = await dev.Http.GetAsync("/boom");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.Contains("connection to db failed", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_in_development_too()
    {
        await using var dev = await TestService.StartAsync(environment: "Development");
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var response = await dev.Http.PostAsync("/items", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Body_limit_comes_from_kestrel_configuration()
    {
        await using var small = await TestService.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Kestrel:Limits:MaxRequestBodySize"] = "100",
        });
        using var response = await small.Http.PostAsJsonAsync("/items", new Item(new string('x', 200), 1));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }
}
