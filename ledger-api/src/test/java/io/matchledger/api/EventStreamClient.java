package io.matchledger.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client of one server-sent event stream over a raw socket, as a dashboard holds it: it reads the messages as they
 * arrive, and it can go away at any moment without a goodbye ({@link #close()} just closes the socket). HTTP/1.1
 * with chunked bodies decoded here, so that nothing between the test and the wire buffers or reconnects.
 */
public final class EventStreamClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers = new HashMap<>();
    private boolean chunked;
    private long chunkLeft;
    private long lengthLeft = -1;
    private boolean ended;

    private EventStreamClient(Socket socket, String request) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000); // a guard against a hang, not a measure of anything
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        this.in = socket.getInputStream();
        String statusLine = rawLine();
        this.status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String header = rawLine(); !header.isEmpty(); header = rawLine()) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (!chunked && headers.containsKey("content-length")) {
            lengthLeft = Long.parseLong(headers.get("content-length"));
        }
    }

    /** Opens {@code path} as {@code account} (null: without credentials). */
    public static EventStreamClient open(int port, String path, TestAccounts account) {
        return open(port, path, account == null ? null : account.user(), account == null ? null : account.password());
    }

    public static EventStreamClient open(int port, String path, String user, String password) {
        StringBuilder request = new StringBuilder()
                .append("GET ")
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port)
                .append("\r\n")
                .append("Accept: text/event-stream\r\n");
        if (user != null) {
            request.append("Authorization: Basic ")
                    .append(Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        request.append("\r\n");
        Socket socket = null;
        try {
            socket = new Socket("127.0.0.1", port);
            return new EventStreamClient(socket, request.toString());
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The data of the next message, comments (heartbeats) skipped. */
    public String nextData() {
        for (String line = nextLine(); ; line = nextLine()) {
            if (line.startsWith("data:")) {
                return line.substring("data:".length());
            }
        }
    }

    /** The next comment line, without its colon; messages before it are skipped. */
    public String nextComment() {
        for (String line = nextLine(); ; line = nextLine()) {
            if (line.startsWith(":")) {
                return line.substring(1);
            }
        }
    }

    /** The answer as a {@link LedgerClient.Reply}: a stream's first message as the body, or the whole refusal. */
    public LedgerClient.Reply firstMessage() {
        String contentType = headers.getOrDefault("content-type", "");
        String body = status == 200 && contentType.startsWith("text/event-stream") ? nextData() : rest();
        Map<String, List<String>> all = new HashMap<>();
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new LedgerClient.Reply(status, contentType, body, HttpHeaders.of(all, (name, value) -> true));
    }

    /** The whole remaining body, for an answer that is no stream (a refusal). */
    public String rest() {
        StringBuilder body = new StringBuilder();
        try {
            for (String line = bodyLine(); line != null; line = bodyLine()) {
                body.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toString().strip();
    }

    /** Goes away mid-stream, as a closed browser tab does. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private String nextLine() {
        try {
            String line = bodyLine();
            if (line == null) {
                throw new IllegalStateException("the stream ended");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of the body, chunks decoded; null at its end. */
    private String bodyLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = bodyByte(); b != '\n'; b = bodyByte()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            if (lengthLeft == 0) {
                return -1;
            }
            lengthLeft--;
            return in.read();
        }
        if (chunkLeft == 0) {
            String size = rawLine();
            if (size.isEmpty()) {
                size = rawLine(); // the CRLF that closes the previous chunk
            }
            chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        chunkLeft--;
        return in.read();
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // going away is all that was asked
            }
        }
    }
}
