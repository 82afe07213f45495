// Sends one trace (a server span with a child) to an OTLP/HTTP endpoint with the OpenTelemetry JS SDK.
// Usage: node send-trace.mjs <traces url> <x-otlp-api-key> <service name>
import { trace, context } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

const [url, apiKey, serviceName] = process.argv.slice(2);
const exporter = new OTLPTraceExporter({ url, headers: { "x-otlp-api-key": apiKey } });
const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
const tracer = provider.getTracer("dashboard-tests");

const parent = tracer.startSpan("GET /checkout", { kind: 1, attributes: { "http.request.method": "GET", "url.path": "/checkout" } });
const child = tracer.startSpan("load cart", { attributes: { "cart.items": 3 } }, trace.setSpan(context.active(), parent));
child.end();
parent.end();

await provider.forceFlush();
await provider.shutdown();
console.log(parent.spanContext().traceId);
