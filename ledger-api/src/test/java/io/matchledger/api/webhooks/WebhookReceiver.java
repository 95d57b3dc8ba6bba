package io.matchledger.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A game backend's webhook endpoint, for real: a JDK HTTP server on the loopback that verifies every delivery's
 * signature as a receiver must, keeps every request it got (repeats included), and answers what the test says.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Received(Map<String, List<String>> headers, String body, int answered) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String eventId() {
            return header("Ledger-Event-Id");
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile IntSupplier answer = () -> 200;
    private volatile long delayMillis;

    public WebhookReceiver(String secret) throws IOException {
        this(secret, 0);
    }

    public WebhookReceiver(String secret, int port) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sleep(delayMillis);
            int status = answer.getAsInt();
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What the receiver answers from now on, request by request. */
    public void answer(IntSupplier status) {
        this.answer = status;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Each event once, in the order it first arrived: what a receiver that de-duplicates on the event id keeps. */
    public List<Received> accepted() {
        Set<String> seen = new LinkedHashSet<>();
        List<Received> firsts = new ArrayList<>();
        for (Received request : received) {
            if (request.answered() / 100 == 2 && seen.add(request.eventId())) {
                firsts.add(request);
            }
        }
        return firsts;
    }

    /** Every request is signed with the subscription's secret over its timestamp and its exact body. */
    public void assertEverySignatureVerifies() {
        for (Received request : received) {
            String signature = request.header("Ledger-Signature");
            assertThat(signature).as(request.body()).matches("t=\\d+,v1=[0-9a-f]{64}");
            String timestamp = signature.substring(2, signature.indexOf(','));
            assertThat(signature.substring(signature.indexOf("v1=") + 3))
                    .as("signature of " + request.body())
                    .isEqualTo(WebhookSignature.hmac(secret, timestamp + "." + request.body()));
            assertThat(request.json().path("id").asText()).isEqualTo(request.eventId());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
