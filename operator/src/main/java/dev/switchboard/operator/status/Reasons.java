package dev.switchboard.operator.status;

/** Every condition reason the operator reports (CamelCase, as Kubernetes conventions ask). */
public final class Reasons {
    // ExpertModel, deployed
    public static final String DEPLOYMENT_CREATING = "DeploymentCreating";
    public static final String REPLICAS_READY = "ReplicasReady";
    public static final String NO_REPLICA_READY = "NoReplicaReady";
    public static final String SCALED_TO_ZERO = "ScaledToZero";
    public static final String SCHEDULING = "Scheduling";
    public static final String PULLING_IMAGE = "PullingImage";
    public static final String LOADING_MODEL = "LoadingModel";
    public static final String ROLLING_OUT = "RollingOut";
    public static final String ROLLOUT_COMPLETE = "RolloutComplete";
    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    public static final String CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    public static final String STARTUP_TOO_SLOW = "StartupTooSlow";
    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    public static final String AS_EXPECTED = "AsExpected";
    /** The spec cannot be realised as written (a name, an env entry, ...); the message names the field. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** An API call creating or updating the resource's objects failed; the operator retries. */
    public static final String APPLY_FAILED = "ApplyFailed";
    // ExpertModel, adapter (spec.adapter)
    public static final String ADAPTER_LOADED = "AdapterLoaded";
    public static final String LOADING_ADAPTER = "LoadingAdapter";
    public static final String ADAPTER_LOAD_FAILED = "AdapterLoadFailed";
    public static final String BASE_NOT_FOUND = "BaseNotFound";
    public static final String BASE_NOT_DEPLOYED = "BaseNotDeployed";
    public static final String BASE_NOT_READY = "BaseNotReady";
    public static final String TOO_MANY_ADAPTERS = "TooManyAdapters";
    public static final String RANK_TOO_LARGE = "RankTooLarge";
    /** expertApiKeys.enabled: the base's vLLM wants a key the operator does not read, so it cannot load adapters. */
    public static final String API_KEYS_ENABLED = "ExpertApiKeysEnabled";
    // ExpertModel, external
    public static final String ENDPOINT_REACHABLE = "EndpointReachable";
    public static final String ENDPOINT_UNREACHABLE = "EndpointUnreachable";
    public static final String ENDPOINT_ERROR = "EndpointError";
    public static final String EXTERNAL = "External";
    // Both kinds: a field the admin's trust policy does not allow, or a Secret not granted to Switchboard; the
    // reasons are the rules' names, see dev.switchboard.operator.trust.Violation (ImageNotAllowed, ...,
    // SecretNotGranted).
    // RoutingPolicy
    public static final String ROUTER_AVAILABLE = "RouterAvailable";
    public static final String ROUTER_UNAVAILABLE = "RouterUnavailable";
    public static final String ROUTER_STARTING = "RouterStarting";
    public static final String EXPERTS_READY = "ExpertsReady";
    public static final String EXPERT_NOT_FOUND = "ExpertNotFound";
    public static final String NO_READY_EXPERT = "NoReadyExpert";
    public static final String SOME_EXPERTS_NOT_READY = "SomeExpertsNotReady";
    public static final String NO_EXPERT_SELECTED = "NoExpertSelected";
    /** The policy cannot be served as written (shared rules, or the router refused it); the message names the field. */
    public static final String INVALID_POLICY = "InvalidPolicy";
    /** The router runs but has not yet reported whether it serves the policy's current generation. */
    public static final String AWAITING_ROUTER = "AwaitingRouter";

    private Reasons() {
    }
}
