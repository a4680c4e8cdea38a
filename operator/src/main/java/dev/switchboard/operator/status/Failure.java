package dev.switchboard.operator.status;

import dev.switchboard.api.rules.Problem;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why the operator could not realise a resource, as its status says it: a CamelCase reason, a message naming the
 * field or the object, and whether another attempt can help (an API call that failed) or only a change of the spec
 * (a problem of the spec, or an object the API server refused).
 *
 * @param retrying true when the operator tries again by itself
 */
public record Failure(String reason, String message, boolean retrying) {

    /** Problems found before anything was created; only a change of the spec helps. */
    public static Failure invalid(String reason, List<Problem> problems) {
        return new Failure(reason, problems.stream().map(Problem::toString).collect(Collectors.joining("; ")),
                false);
    }

    /**
     * What an exception thrown while applying objects means for status. An object the API server refuses as
     * invalid (400, 422), or a spec the renderers cannot read, is {@code invalidReason} and is not retried; any
     * other failure (forbidden, quota, conflict, a server or network error) is {@link Reasons#APPLY_FAILED} and
     * retried.
     */
    public static Failure of(Exception e, String invalidReason) {
        KubernetesClientException api = apiError(e);
        if (api != null) {
            int code = api.getCode();
            String detail = api.getStatus() != null && api.getStatus().getMessage() != null
                    ? api.getStatus().getMessage() : api.getMessage();
            // 400/422: refused as invalid; a 500 "failed to create typed patch object" is server-side apply
            // refusing an object that breaks its schema (e.g. two list entries with the same key).
            if (code == 400 || code == 422 || detail != null && detail.contains("failed to create typed patch")) {
                return new Failure(invalidReason, "the API server refused an object made from the spec: " + detail,
                        false);
            }
            return new Failure(Reasons.APPLY_FAILED, (code > 0 ? "HTTP " + code + ": " : "") + detail
                    + " (the operator retries with backoff)", true);
        }
        if (e instanceof IllegalArgumentException) {
            return new Failure(invalidReason, e.getMessage(), false);
        }
        return new Failure(Reasons.APPLY_FAILED, e + " (the operator retries with backoff)", true);
    }

    private static KubernetesClientException apiError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return k;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
