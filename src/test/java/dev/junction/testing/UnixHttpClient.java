package dev.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a Unix domain socket, one connection per request, since
 * java.net.http cannot use Unix sockets. It is what {@code curl --unix-socket} does.
 */
public final class UnixHttpClient {

    /** A response: status, headers in lower case, and body. */
    public record Response(int status, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return Commands.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }

        /** Returns this response, or throws when its status is not 200, naming the status and the body. */
        public Response requireOk() {
            if (status != 200) {
                throw new IllegalStateException("request failed with " + status + ": " + body);
            }
            return this;
        }

        /** Returns the body as the JSON string it must be, such as a create's ID. */
        public String jsonString() {
            JsonNode node = json();
            if (!node.isTextual()) {
                throw new AssertionError("expected a JSON string, got " + body);
            }
            return node.asText();
        }
    }

    private final Path socket;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response send(String method, String path, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: junction\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer payload = ByteBuffer.wrap(content);
            while (payload.hasRemaining()) {
                channel.write(payload);
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                received.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            return parse(received.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + method + " " + path + " on " + socket + " failed", e);
        }
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            throw new UncheckedIOException(new IOException("the connection closed before a complete response: " + text));
        }
        String[] lines = text.substring(0, headerEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(headerEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int position = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", position);
            int size = Integer.parseInt(chunked.substring(position, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
