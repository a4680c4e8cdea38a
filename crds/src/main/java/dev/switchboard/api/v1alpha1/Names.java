package dev.switchboard.api.v1alpha1;

/**
 * Limits the API puts on names and strings, as compile-time constants for the validation annotations: a name must
 * be able to become the Kubernetes objects derived from it, and every string and list is bounded so that the API
 * server can estimate the cost of the CEL rules over them.
 */
public final class Names {
    /** DNS-1035 label: what a Service name must be (lower-case alphanumerics and '-', starting with a letter). */
    public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** DNS-1123 subdomain: what most object names (Secrets, ConfigMaps, PVCs) must be. */
    public static final String DNS_1123_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A key of a Secret or ConfigMap. */
    public static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";
    /** A label value, a Service name. */
    public static final int MAX_LABEL = 63;
    /** An object name (DNS-1123 subdomain). */
    public static final int MAX_SUBDOMAIN = 253;
    /** The suffix of a policy's router objects: Service, Deployment, ServiceAccount, Role, RoleBinding, PDB. */
    public static final String ROUTER_SUFFIX = "-router";
    /** An expert's name becomes its Service's name and the label switchboard.dev/expert of its pods. */
    public static final int MAX_EXPERT_NAME = MAX_LABEL;
    /** A policy's name plus {@link #ROUTER_SUFFIX} becomes the router Service's name. */
    public static final int MAX_POLICY_NAME = MAX_LABEL - 7;
    /** Container images, URLs. */
    public static final int MAX_IMAGE = 512;
    public static final int MAX_URL = 2048;
    /** Model names (vLLM --served-model-name, a hosted model's name). */
    public static final int MAX_MODEL_NAME = 253;
    /** Free text a strategy reads (descriptions, instructions, examples). */
    public static final int MAX_TEXT = 4096;
    /** Sample queries of an expert or a category. */
    public static final int MAX_EXAMPLES = 256;
    /** Go duration strings such as 1m30s. */
    public static final int MAX_DURATION = 32;
    /** Quantities such as 48Gi. */
    public static final int MAX_QUANTITY = 64;

    private Names() {
    }
}
