package dev.switchboard.router.proxy;

import io.vertx.core.Context;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model calls a strategy makes while deciding one client request (metaLLM's call to its meta model), kept in the
 * request's Vert.x context, so that the request's end can stop them: a client that leaves while its decision waits
 * on a model stops that model too, and the deciding worker is released at once instead of waiting for the call.
 */
public final class RequestModelCalls {
    private static final String KEY = "switchboard.modelCalls";

    private RequestModelCalls() {
    }

    /** One call: its exchange, and the answer its strategy waits on. */
    record Call(ProxyExchange exchange, BufferedAnswer answer) {
    }

    static void register(Context context, ProxyExchange exchange, BufferedAnswer answer) {
        if (context == null) {
            return;
        }
        List<Call> calls = context.getLocal(KEY);
        if (calls == null) {
            calls = new CopyOnWriteArrayList<>();
            context.putLocal(KEY, calls);
        }
        calls.add(new Call(exchange, answer));
    }

    /** Stops the model calls still running for the request of {@code context}; call it on that request's loop. */
    public static void cancelAll(Context context) {
        if (context == null) {
            return;
        }
        List<Call> calls = context.getLocal(KEY);
        if (calls == null) {
            return;
        }
        for (Call call : calls) {
            if (call.exchange().cancel() != null) {
                call.answer().cancelled();
            }
        }
        calls.clear();
    }
}
