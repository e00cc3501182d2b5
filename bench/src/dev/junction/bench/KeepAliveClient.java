package dev.junction.bench;

import dev.junction.testing.UnixHttpClient;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
 * An HTTP/1.1 client over a Unix domain socket that keeps its connection open between requests,
 * as a container runtime's client does. It sends one request at a time and reads bodies framed by
 * {@code Content-Length} or chunked transfer coding. Not thread-safe: use one client per thread.
 */
final class KeepAliveClient implements AutoCloseable {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Path socket;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private SocketChannel channel;
    private int connectionsOpened;

    KeepAliveClient(Path socket) {
        this.socket = socket;
        input.flip();
    }

    /** Returns how many connections this client opened: 1 when the server kept the first one open throughout. */
    int connectionsOpened() {
        return connectionsOpened;
    }

    UnixHttpClient.Response get(String path) {
        return send("GET", path, null);
    }

    UnixHttpClient.Response post(String path, String json) {
        return send("POST", path, json);
    }

    UnixHttpClient.Response delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * Sends one request and reads its response. When the server closed the kept connection
     * before sending any byte of the response, the request is sent once more on a new connection.
     */
    UnixHttpClient.Response send(String method, String path, String body) {
        byte[] request = encode(method, path, body);
        boolean reused = channel != null;
        try {
            return exchange(request);
        } catch (EOFException e) {
            if (!reused) {
                throw new UncheckedIOException("HTTP " + method + " " + path + ": the server closed a new connection without a response", e);
            }
            closeChannel();
            try {
                return exchange(request);
            } catch (IOException retryFailure) {
                throw failure(method, path, retryFailure);
            }
        } catch (IOException e) {
            throw failure(method, path, e);
        }
    }

    private UncheckedIOException failure(String method, String path, IOException cause) {
        closeChannel();
        return new UncheckedIOException("HTTP " + method + " " + path + " on " + socket + " failed", cause);
    }

    private static byte[] encode(String method, String path, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: junction\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    /** Writes a request and reads its response. Throws EOFException when the connection ends before the status line. */
    private UnixHttpClient.Response exchange(byte[] request) throws IOException {
        if (channel == null) {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            connectionsOpened++;
            input.clear().flip();
        }
        ByteBuffer output = ByteBuffer.wrap(request);
        while (output.hasRemaining()) {
            channel.write(output);
        }

        String statusLine = readLine(true);
        String[] statusParts = statusLine.split(" ", 3);
        if (statusParts.length < 2 || !statusParts[0].startsWith("HTTP/1.")) {
            throw new IOException("invalid HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(statusParts[1]);
        Map<String, String> headers = readHeaders();

        String body = readBody(status, headers);
        boolean close = "close".equalsIgnoreCase(headers.get("connection")) || statusParts[0].equals("HTTP/1.0");
        if (close) {
            closeChannel();
        }
        return new UnixHttpClient.Response(status, headers, body);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        while (true) {
            String line = readLine();
            if (line.isEmpty()) {
                return headers;
            }
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("invalid HTTP header line: " + line);
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    private String readBody(int status, Map<String, String> headers) throws IOException {
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return "";
        }
        String transferEncoding = headers.get("transfer-encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            return readChunked();
        }
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            return new String(readBytes(Integer.parseInt(contentLength)), StandardCharsets.UTF_8);
        }
        throw new IOException("response has neither Content-Length nor chunked transfer coding, so its end on a kept connection is unknown");
    }

    private String readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            if (size == 0) {
                // Trailer fields, if any, end with an empty line.
                while (!readLine().isEmpty()) {
                    continue;
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            body.writeBytes(readBytes(size));
            if (!readLine().isEmpty()) {
                throw new IOException("chunk of " + size + " bytes is not followed by CRLF");
            }
        }
    }

    private String readLine() throws IOException {
        return readLine(false);
    }

    /** Reads a line ending in CRLF and returns it without the line end. See {@link #fill} for {@code atMessageStart}. */
    private String readLine(boolean atMessageStart) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!input.hasRemaining()) {
                fill(atMessageStart && line.isEmpty());
            }
            byte value = input.get();
            if (value == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) (value & 0xFF));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("HTTP line exceeds " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    private byte[] readBytes(int count) throws IOException {
        byte[] bytes = new byte[count];
        int filled = 0;
        while (filled < count) {
            if (!input.hasRemaining()) {
                fill(false);
            }
            int take = Math.min(input.remaining(), count - filled);
            input.get(bytes, filled, take);
            filled += take;
        }
        return bytes;
    }

    /** Reads more bytes from the connection. With {@code atMessageStart}, an end of stream is an EOFException. */
    private void fill(boolean atMessageStart) throws IOException {
        input.clear();
        int read = channel.read(input);
        input.flip();
        if (read < 0) {
            if (atMessageStart) {
                throw new EOFException("the server closed the connection");
            }
            throw new IOException("the server closed the connection in the middle of a response");
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // The connection is discarded either way.
            }
            channel = null;
        }
        input.clear().flip();
    }

    @Override
    public void close() {
        closeChannel();
    }
}
