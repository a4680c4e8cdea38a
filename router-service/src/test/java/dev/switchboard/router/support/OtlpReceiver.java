package dev.switchboard.router.support;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An in-process OTLP/HTTP trace receiver on loopback: accepts {@code POST .../v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest} (gzip or not), decodes the spans with a minimal protobuf reader (only the fields
 * the tests read) and keeps them. Answers 200 with an empty (protobuf) response.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One received span: ids in hex, kind as OTLP numbers it (2 server, 3 client), attributes by key. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                               Map<String, Object> attributes, int statusCode) {
        public Object attr(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getPath());
                InputStream in = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("content-encoding"))) {
                    in = new GZIPInputStream(in);
                }
                byte[] body = in.readAllBytes();
                try {
                    decodeRequest(body);
                } catch (RuntimeException e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<String> paths() {
        return List.copyOf(paths);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void decodeRequest(byte[] body) {
        Reader r = new Reader(body);
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                resourceSpans(new Reader(r.bytes()));
            } else {
                r.skip(tag);
            }
        }
    }

    private void resourceSpans(Reader r) {
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 2 && (tag & 7) == 2) {
                Reader scope = new Reader(r.bytes());
                while (scope.more()) {
                    int t = scope.tag();
                    if (t >>> 3 == 2 && (t & 7) == 2) {
                        spans.add(span(new Reader(scope.bytes())));
                    } else {
                        scope.skip(t);
                    }
                }
            } else {
                r.skip(tag);
            }
        }
    }

    private static ReceivedSpan span(Reader r) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        int status = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(r.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(r.bytes());
                case 4 -> parent = HexFormat.of().formatHex(r.bytes());
                case 5 -> name = new String(r.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) r.varint();
                case 9 -> keyValue(new Reader(r.bytes()), attributes);
                case 15 -> {
                    Reader s = new Reader(r.bytes());
                    while (s.more()) {
                        int t = s.tag();
                        if (t >>> 3 == 3 && (t & 7) == 0) {
                            status = (int) s.varint();
                        } else {
                            s.skip(t);
                        }
                    }
                }
                default -> r.skip(tag);
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, kind, attributes, status);
    }

    private static void keyValue(Reader r, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) {
                key = new String(r.bytes(), StandardCharsets.UTF_8);
            } else if (tag >>> 3 == 2) {
                Reader v = new Reader(r.bytes());
                while (v.more()) {
                    int t = v.tag();
                    switch (t >>> 3) {
                        case 1 -> value = new String(v.bytes(), StandardCharsets.UTF_8);
                        case 2 -> value = v.varint() != 0;
                        case 3 -> value = v.varint();
                        case 4 -> value = Double.longBitsToDouble(v.fixed64());
                        default -> v.skip(t);
                    }
                }
            } else {
                r.skip(tag);
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }

    /** Protobuf wire format: varints, fixed 32/64-bit values and length-delimited bytes. */
    private static final class Reader {
        private final ByteArrayInputStream in;

        Reader(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        boolean more() {
            return in.available() > 0;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("truncated varint");
                }
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        long fixed64() {
            return ByteBuffer.wrap(read(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        byte[] bytes() {
            return read((int) varint());
        }

        private byte[] read(int n) {
            byte[] b = new byte[n];
            if (n > 0 && in.read(b, 0, n) != n) {
                throw new IllegalStateException("truncated field");
            }
            return b;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> read(8);
                case 2 -> bytes();
                case 5 -> read(4);
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
