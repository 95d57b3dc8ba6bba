package io.matchledger.api.observability;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A trace collector's OTLP/HTTP endpoint ({@code POST /v1/traces}, protobuf), for real: the service's exporter sends
 * its spans here over HTTP as it would to a collector, and the test reads them decoded with OpenTelemetry's own
 * protocol classes.
 */
final class TraceReceiver implements AutoCloseable {

    /** A span as received, its ids in hex. */
    record Received(String traceId, String spanId, String parentSpanId, String name, List<String> linkedTraces) {}

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();

    TraceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
        server.createContext("/v1/traces", exchange -> {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            export.getResourceSpansList()
                    .forEach(resource -> resource.getScopeSpansList()
                            .forEach(scope -> scope.getSpansList().forEach(span -> spans.add(received(span)))));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody()
                    .write(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance()
                            .toByteArray());
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    List<Received> inTrace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private static Received received(Span span) {
        HexFormat hex = HexFormat.of();
        return new Received(
                hex.formatHex(span.getTraceId().toByteArray()),
                hex.formatHex(span.getSpanId().toByteArray()),
                hex.formatHex(span.getParentSpanId().toByteArray()),
                span.getName(),
                span.getLinksList().stream()
                        .map(link -> hex.formatHex(link.getTraceId().toByteArray()))
                        .toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
