package io.matchledger.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the service and PostgreSQL that can fall silent: it stops forwarding in both directions while
 * every connection stays open, as a network partition, a frozen server or a stalled load balancer do, and forwards
 * again when told. Bytes in flight are held, not dropped: when it forwards again each side gets what the other sent,
 * and a client that gave up meanwhile has closed its end, which then closes the server's. New connections are
 * accepted while it is silent (the kernel would complete their handshake anyway) and hang like the others.
 */
public final class SilentProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Object gate = new Object();
    private boolean silent;
    private volatile boolean closed;

    /** Listens on a free port of 127.0.0.1 and forwards to the host and port of {@code jdbcUrl}. */
    public SilentProxy(String jdbcUrl) throws IOException {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String through(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String rest = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + rest;
    }

    /** Stops forwarding; nothing is closed. */
    public void silence() {
        synchronized (gate) {
            silent = true;
        }
    }

    /** Forwards again, what was held first. */
    public void resume() {
        synchronized (gate) {
            silent = false;
            gate.notifyAll();
        }
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5_000);
                sockets.add(client);
                sockets.add(server);
                connections.incrementAndGet();
                pump(client, server, "up");
                pump(server, client, "down");
            } catch (IOException e) {
                if (!closed) {
                    System.out.println("silent proxy: a connection failed: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        while (true) {
                            awaitForwarding();
                            int read = in.read(buffer);
                            if (read < 0) {
                                break;
                            }
                            awaitForwarding();
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException ended) {
                        // one side closed, or the proxy did
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "silent-proxy-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (silent && !closed) {
                gate.wait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resume();
        listener.close();
        sockets.forEach(SilentProxy::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
