using System.Text.Json;
using Jobs.Contracts;
using Worker.Outbound;
using Worker.Processing;

namespace Worker.Handlers;

/// <summary>
/// <c>webhook</c>: POSTs the payload to the callback URL under the outbound allow-list. The job id goes along as
/// <c>Idempotency-Key</c>, since a retried job (or a retried request) may deliver the same payload twice.
/// </summary>
public sealed class WebhookHandler(IHttpClientFactory httpClientFactory, OutboundGuard guard) : IJobHandler
{
    public string Type => JobTypes.Webhook;

    public async Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var input = JobTypes.Deserialize<WebhookInput>(job.Input);
        var url = new Uri(input.Url);
        try
        {
            guard.EnsureAllowed(url);
        }
        catch (OutboundRefusedException ex)
        {
            throw new JobFailedException("outbound_refused", ex.Message);
        }
        using var client = httpClientFactory.CreateClient(OutboundHttp.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { jobId = job.Id, attempt = job.Attempt, payload = input.Payload }, options: JobsJson.Options),
        };
        request.Headers.Add("Idempotency-Key", job.Id.ToString());
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is OutboundRefusedException refused)
        {
            throw new JobFailedException("outbound_refused", refused.Message);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new JobFailedException("webhook_status", $"The callback answered {(int)response.StatusCode}.");
            }
            return JsonSerializer.SerializeToElement(new { status = (int)response.StatusCode }, JobsJson.Options);
        }
    }
}
