using Aspire.Dashboard.Authentication;
using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Aspire.Dashboard.ResourceService;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aspire.Dashboard.Apis;

// The read-only JSON API for scripts and tests: /api/v1/resources|logs|traces|metrics.
public static class TelemetryApi
{
    private const int MaxLimit = 10_000;

    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(DashboardAuthentication.ApiPolicy);
        api.MapGet("/resources", GetResources);
        api.MapGet("/logs", GetLogs);
        api.MapGet("/traces", GetTraces);
        api.MapGet("/traces/{traceId}", GetTrace);
        api.MapGet("/metrics", GetMetrics);
        return api;
    }

    public static Ok<IReadOnlyList<ResourceDto>> GetResources(DashboardClient client, ResourceRegistry telemetry)
    {
        var fromService = client.GetResources().Select(ResourceDto.From).ToList();
        // Standalone, or telemetry from something the AppHost does not run: list what reported.
        var reporting = telemetry.GetResources()
            .Where(r => !fromService.Any(s => string.Equals(s.Name, r.DisplayName, StringComparison.OrdinalIgnoreCase)))
            .Select(ResourceDto.From);
        return TypedResults.Ok<IReadOnlyList<ResourceDto>>([.. fromService, .. reporting]);
    }

    public static Results<Ok<PagedResult<LogDto>>, ValidationProblem> GetLogs(
        LogStore logs, string? resource, string? level, string? text, string? traceId, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        LogSeverity? severity = null;
        if (level is not null)
        {
            if (Enum.TryParse<LogSeverity>(level, ignoreCase: true, out var parsed) && !int.TryParse(level, out _))
            {
                severity = parsed;
            }
            else
            {
                errors["level"] = [$"Unknown level '{level}'; use one of {string.Join(", ", Enum.GetNames<LogSeverity>())}."];
            }
        }

        ValidateLimit(limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (items, total) = logs.Query(new LogQuery(resource, severity, text, traceId, limit ?? 1000));
        return TypedResults.Ok(new PagedResult<LogDto>(total, [.. items.Select(LogDto.From)]));
    }

    public static Results<Ok<PagedResult<TraceSummaryDto>>, ValidationProblem> GetTraces(
        TraceStore traces, string? resource, string? status, double? minDurationMs, string? text, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        bool? hasError = status?.ToLowerInvariant() switch
        {
            null => null,
            "error" => true,
            "ok" => false,
            _ => null,
        };
        if (status is not null && hasError is null)
        {
            errors["status"] = ["Use 'error' or 'ok'."];
        }

        if (minDurationMs is < 0)
        {
            errors["minDurationMs"] = ["Must not be negative."];
        }

        ValidateLimit(limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = new TraceQuery(resource, hasError, minDurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, text, limit ?? 1000);
        var (items, total) = traces.Query(query);
        return TypedResults.Ok(new PagedResult<TraceSummaryDto>(total, [.. items.Select(TraceSummaryDto.From)]));
    }

    public static Results<Ok<TraceDto>, ProblemHttpResult> GetTrace(TraceStore traces, string traceId) =>
        traces.Get(traceId) is { } trace
            ? TypedResults.Ok(TraceDto.From(trace))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: $"No trace with id '{traceId}' is stored.");

    public static Results<Ok<IReadOnlyList<InstrumentDto>>, Ok<InstrumentDataDto>, ProblemHttpResult> GetMetrics(
        MetricStore metrics, string? resource, string? meter, string? name, [FromQuery(Name = "filter")] string[]? filters)
    {
        var instruments = metrics.GetInstruments(resource)
            .Where(i => meter is null || i.Key.MeterName == meter)
            .ToList();
        if (name is null)
        {
            return TypedResults.Ok<IReadOnlyList<InstrumentDto>>([.. instruments.Select(InstrumentDto.From)]);
        }

        var matching = instruments.Where(i => i.Key.Name == name).ToList();
        if (matching.Count != 1)
        {
            return matching.Count == 0
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Instrument not found", detail: $"No instrument '{name}' matches.")
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Ambiguous instrument",
                    detail: $"'{name}' is reported by {string.Join(", ", matching.Select(m => $"{m.Key.Resource.DisplayName}/{m.Key.MeterName}"))}; add resource and meter.");
        }

        var filter = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in filters ?? [])
        {
            var colon = f.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad filter", detail: $"'{f}' is not key:value.");
            }

            filter[f[..colon]] = f[(colon + 1)..];
        }

        var snapshot = metrics.GetInstrument(matching[0].Key)!;
        var kind = snapshot.Info.Kind;
        var isDistribution = kind is InstrumentKind.Histogram or InstrumentKind.ExponentialHistogram or InstrumentKind.Summary;
        return TypedResults.Ok(new InstrumentDataDto(
            InstrumentDto.From(snapshot.Info),
            [.. snapshot.Dimensions.Select(d => ApiModels.ToObject(d.Attributes))],
            [.. snapshot.Points.Where(p => p.Dimension.Matches(filter))
                .Select(p => new MetricPointDto(p.Time, ApiModels.ToObject(p.Dimension.Attributes), p.Value, isDistribution ? p.Count : null))],
            kind is InstrumentKind.Gauge or InstrumentKind.UpDownCounter or InstrumentKind.Counter ? MetricSeries.Values(snapshot, filter) : null,
            kind == InstrumentKind.Counter ? MetricSeries.Rates(snapshot, filter) : null,
            kind is InstrumentKind.Histogram or InstrumentKind.ExponentialHistogram ? MetricSeries.Percentiles(snapshot, filter) : null,
            [.. (kind switch
            {
                InstrumentKind.Counter => MetricSeries.RatesBySeries(snapshot, filter),
                InstrumentKind.Gauge or InstrumentKind.UpDownCounter => MetricSeries.ValuesBySeries(snapshot, filter),
                InstrumentKind.Summary => MetricSeries.Quantiles(snapshot, filter),
                _ => [],
            }).Select(l => new SeriesLineDto(l.Name, ApiModels.ToObject(l.Attributes), l.Points))]));
    }

    private static void ValidateLimit(int? limit, Dictionary<string, string[]> errors)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }
    }
}
