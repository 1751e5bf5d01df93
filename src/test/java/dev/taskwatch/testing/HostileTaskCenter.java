package dev.taskwatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task center that behaves as badly as a hostile (or broken) one can over HTTP/1.1, on raw sockets so that nothing
 * in between tidies its answers up: it redirects to another origin, drips its body a byte at a time, floods with a
 * body of any size, answers random error codes, or reads the request and never answers. Every request it receives
 * is recorded with its headers and body, so a test can prove what reached it, e.g. a second instance playing the
 * "other origin" of a redirect must have received nothing.
 *
 * <p>For servers under test (the ops port) {@link #holdIncompleteRequest} plays the other side: a client that sends
 * half a request and holds the connection open.
 *
 * <p>Any dialect can be pointed at it: the behaviours answer every path, so a new dialect gets these faults tested
 * for free.
 */
public final class HostileTaskCenter implements AutoCloseable {

    /** One request as it arrived: header names in lower case. */
    public record Received(String method, String target, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How to answer a request. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Received request, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-task-center");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(json(200, "{}"));
    private volatile boolean closed;

    public HostileTaskCenter() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        connections.execute(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:port} (no trailing slash). */
    public URI uri() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Answer every following request so. */
    public HostileTaskCenter answer(Behaviour b) {
        behaviour.set(b);
        return this;
    }

    /** Requests received so far, in order. */
    public List<Received> requests() {
        return Collections.unmodifiableList(new ArrayList<>(received));
    }

    // ---- behaviours ----

    /** A complete, well-formed answer. */
    public static Behaviour json(int status, String body) {
        return json(status, body, Map.of());
    }

    /** A complete answer with extra headers (e.g. IAM's {@code X-Subject-Token}). */
    public static Behaviour json(int status, String body, Map<String, String> extraHeaders) {
        return (request, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", String.valueOf(bytes.length));
            writeHead(out, status, headers);
            out.write(bytes);
            out.flush();
        };
    }

    /** A redirect ({@code 301, 302, 303, 307, 308}) to {@code location}, e.g. another instance's {@link #uri()}. */
    public static Behaviour redirect(int status, URI location) {
        return (request, out) -> {
            writeHead(out, status, Map.of("Location", location.toString(), "Content-Length", "0"));
            out.flush();
        };
    }

    /** Headers at once (with the full Content-Length), then the body one byte per {@code every}. */
    public static Behaviour drip(String body, Duration every) {
        return (request, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            writeHead(out, 200, Map.of("Content-Type", "application/json", "Content-Length",
                    String.valueOf(bytes.length)));
            out.flush();
            for (byte b : bytes) {
                Thread.sleep(every.toMillis());
                out.write(b);
                out.flush();
            }
        };
    }

    /**
     * A 200 whose body is {@code bytes} long: a JSON object with one huge string, so that only its size is wrong.
     * Streamed, so the fixture itself never holds it.
     */
    public static Behaviour flood(long bytes) {
        return (request, out) -> {
            byte[] head = "{\"jobs\":[],\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
            long padding = Math.max(0, bytes - head.length - tail.length);
            writeHead(out, 200, Map.of("Content-Type", "application/json", "Content-Length",
                    String.valueOf(head.length + padding + tail.length)));
            out.write(head);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long left = padding; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.write(tail);
            out.flush();
        };
    }

    /**
     * Random error statuses (4xx and 5xx) with random API error codes such as {@code RND.4711}, reproducible by
     * {@code seed}: what a label built from the network would turn into unbounded metric series.
     */
    public static Behaviour randomErrors(long seed) {
        Random random = new Random(seed);
        int[] statuses = {400, 404, 409, 418, 422, 500, 502, 503, 504};
        return (request, out) -> {
            int status;
            int code;
            synchronized (random) {
                status = statuses[random.nextInt(statuses.length)];
                code = random.nextInt(100_000);
            }
            json(status, "{\"error_code\":\"RND." + code + "\",\"error_msg\":\"random failure\"}")
                    .answer(request, out);
        };
    }

    /** Reads the request and never answers (the connection stays open until the client gives up). */
    public static Behaviour silence() {
        return (request, out) -> Thread.sleep(Long.MAX_VALUE);
    }

    // ---- the client side for servers under test ----

    /**
     * Opens a connection to {@code host:port}, sends the start of a GET request without the blank line that would
     * end its headers, and returns the open socket: the caller holds it as long as the test needs and closes it.
     */
    public static Socket holdIncompleteRequest(String host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /health/live HTTP/1.1\r\nHost: " + host + "\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    // ---- plumbing ----

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("HostileTaskCenter accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            Received request = read(in);
            if (request == null) {
                return;
            }
            received.add(request);
            behaviour.get().answer(request, socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            // the client went away or we are closing: both are expected here
        } finally {
            open.remove(socket);
        }
    }

    private static Received read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        return new Received(parts[0], parts.length > 1 ? parts[1] : "", Map.copyOf(headers), body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void writeHead(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Hostile\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdownNow();
    }
}
