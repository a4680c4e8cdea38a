package dev.switchboard.router.usage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * A server-sent-events answer, relayed event by event (an event split across chunks is held until it is whole).
 * The event carrying {@code usage} (vLLM sends it last, with no choices, when asked with
 * {@code stream_options.include_usage}) is read, and dropped when the router asked for it on the client's behalf.
 * Events are counted so that a stream cut short is still charged about one token per event.
 */
final class StreamUsageMeter implements UsageMeter {
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    /** An event larger than this is relayed without being held whole (no usage event is that large). */
    private static final int MAX_PENDING = 1 << 20;

    private final boolean dropUsageEvent;
    private Buffer pending = Buffer.buffer();
    private TokenUsage usage;
    private long events;

    StreamUsageMeter(boolean dropUsageEvent) {
        this.dropUsageEvent = dropUsageEvent;
    }

    @Override
    public Buffer relay(Buffer chunk) {
        Buffer data = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
        int end = lastEventEnd(data);
        if (end < 0) {
            if (data.length() > MAX_PENDING) {
                pending = Buffer.buffer();
                return data;
            }
            pending = data == chunk ? Buffer.buffer().appendBuffer(chunk) : data;
            return Buffer.buffer();
        }
        Buffer whole = end == data.length() ? data : data.getBuffer(0, end);
        pending = end == data.length() ? Buffer.buffer() : data.getBuffer(end, data.length());
        return filter(whole);
    }

    @Override
    public Buffer finish() {
        Buffer rest = pending;
        pending = Buffer.buffer();
        return rest.length() == 0 ? null : filter(rest);
    }

    @Override
    public TokenUsage usage(long inputEstimate) {
        return usage != null ? usage : new TokenUsage(inputEstimate, events, true);
    }

    @Override
    public boolean preservesLength() {
        return !dropUsageEvent;
    }

    /** Whole events: counted, the usage one read (and dropped if asked). */
    private Buffer filter(Buffer whole) {
        if (indexOf(whole, USAGE, 0) < 0) {
            events += countEvents(whole);
            return whole;
        }
        Buffer out = Buffer.buffer(whole.length());
        int start = 0;
        while (start < whole.length()) {
            int end = nextEventEnd(whole, start);
            int stop = end < 0 ? whole.length() : end;
            Buffer event = whole.getBuffer(start, stop);
            if (!readUsage(event)) {
                events++;
                out.appendBuffer(event);
            }
            start = stop;
        }
        return out;
    }

    /** True when the event carried usage and is to be dropped. */
    private boolean readUsage(Buffer event) {
        if (indexOf(event, USAGE, 0) < 0) {
            return false;
        }
        String data = dataOf(event.toString(StandardCharsets.UTF_8));
        if (data == null) {
            return false;
        }
        try {
            JsonObject json = new JsonObject(data);
            TokenUsage read = usageOf(json);
            if (read == null) {
                return false;
            }
            usage = read;
            Object choices = json.getValue("choices");
            return dropUsageEvent && (choices == null || choices instanceof JsonArray a && a.isEmpty());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The {@code data:} of one event (Responses API events have an {@code event:} line before it), or null.
     * A payload split over several data lines is not a usage event vLLM sends.
     */
    private static String dataOf(String event) {
        for (String line : event.split("\n")) {
            String l = line.strip();
            if (l.startsWith("data:")) {
                return l.substring(5).strip();
            }
        }
        return null;
    }

    /**
     * The usage of an OpenAI answer or chunk, or null: {@code usage.prompt_tokens} and {@code completion_tokens}
     * (chat, completions, embeddings), or {@code input_tokens} and {@code output_tokens} of the Responses API,
     * also where its stream carries them ({@code response.usage} of the {@code response.completed} event).
     */
    static TokenUsage usageOf(JsonObject json) {
        JsonObject u = json.getValue("usage") instanceof JsonObject top ? top
                : json.getValue("response") instanceof JsonObject r && r.getValue("usage") instanceof JsonObject ru
                ? ru : null;
        if (u == null) {
            return null;
        }
        Object in = u.containsKey("input_tokens") ? u.getValue("input_tokens") : u.getValue("prompt_tokens");
        Object out = u.containsKey("output_tokens") ? u.getValue("output_tokens") : u.getValue("completion_tokens");
        if (!(in instanceof Number) && !(out instanceof Number)) {
            return null;
        }
        return new TokenUsage(in instanceof Number n ? Math.max(0, n.longValue()) : 0,
                out instanceof Number n ? Math.max(0, n.longValue()) : 0, false);
    }

    private static long countEvents(Buffer b) {
        long n = 0;
        for (int i = 0, len = b.length() - 1; i < len; i++) {
            if (b.getByte(i) == '\n' && b.getByte(i + 1) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The end (exclusive) of the last whole event: after a blank line ("\n\n", or "\r\n\r\n"), or -1. */
    private static int lastEventEnd(Buffer b) {
        for (int i = b.length() - 1; i >= 1; i--) {
            if (b.getByte(i) == '\n' && (b.getByte(i - 1) == '\n'
                    || i >= 3 && b.getByte(i - 1) == '\r' && b.getByte(i - 2) == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int nextEventEnd(Buffer b, int from) {
        for (int i = from + 1; i < b.length(); i++) {
            if (b.getByte(i) == '\n' && (b.getByte(i - 1) == '\n'
                    || i >= 3 && b.getByte(i - 1) == '\r' && b.getByte(i - 2) == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int indexOf(Buffer b, byte[] needle, int from) {
        outer:
        for (int i = from, last = b.length() - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
