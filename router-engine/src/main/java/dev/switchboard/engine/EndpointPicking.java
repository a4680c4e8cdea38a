package dev.switchboard.engine;

import java.time.Duration;

/**
 * How the proxy picks one ready endpoint (replica) of the expert a plan tries: a policy's
 * {@code spec.endpointPicking}.
 *
 * @param type          how a replica is chosen
 * @param loadFactor    {@link Type#PREFIX_AFFINITY}: a replica takes a request only while its load stays within this
 *                      multiple of the mean load of the expert's replicas (consistent hashing with bounded loads)
 * @param sessionHeader request header carrying a session key, or null for none
 * @param sessionUser   the OpenAI {@code user} field is the session key when the header is absent
 * @param stickyExpert  a session stays on the expert that answered it last, over the strategy's choice
 * @param sessionTtl    a session is forgotten this long after its last request
 */
public record EndpointPicking(Type type, double loadFactor, String sessionHeader, boolean sessionUser,
                              boolean stickyExpert, Duration sessionTtl) {
    /** The ways to pick a replica. */
    public enum Type {
        /** The replica that likely caches the prompt's prefix, within the load bound; else by consistent hashing. */
        PREFIX_AFFINITY("prefixAffinity"),
        /** The least loaded replica: requests in flight from this router, and vLLM's own queue. */
        LEAST_LOADED("leastLoaded"),
        /** Each replica in turn. */
        ROUND_ROBIN("roundRobin");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The name in spec.endpointPicking.type. */
        public String label() {
            return label;
        }

        public static Type of(String label) {
            for (Type t : values()) {
                if (t.label.equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("spec.endpointPicking.type: unknown type '" + label
                    + "' (prefixAffinity, leastLoaded, roundRobin)");
        }
    }

    public static final EndpointPicking DEFAULT = new EndpointPicking(Type.PREFIX_AFFINITY, 1.25, "x-session-id",
            true, false, Duration.ofMinutes(30));

    public EndpointPicking {
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        if (!(loadFactor >= 1.0)) {
            throw new IllegalArgumentException("spec.endpointPicking.loadFactor must be at least 1, got " + loadFactor);
        }
        sessionTtl = sessionTtl == null ? Duration.ofMinutes(30) : sessionTtl;
    }

    public EndpointPicking withType(Type newType) {
        return new EndpointPicking(newType, loadFactor, sessionHeader, sessionUser, stickyExpert, sessionTtl);
    }
}
