package dev.switchboard.engine.table;

import dev.switchboard.api.rules.ExpertApiKey;
import dev.switchboard.api.rules.GoDurations;
import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.rules.PolicyRules;
import dev.switchboard.api.rules.PolicyShadow;
import dev.switchboard.api.rules.Problem;
import dev.switchboard.api.rules.References;
import dev.switchboard.api.v1alpha1.CostSpec;
import dev.switchboard.api.v1alpha1.EmbeddingSpec;
import dev.switchboard.api.v1alpha1.EndpointPickingSpec;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.Expertise;
import dev.switchboard.api.v1alpha1.FailoverSpec;
import dev.switchboard.api.v1alpha1.RequestLimitsSpec;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.SessionAffinitySpec;
import dev.switchboard.api.v1alpha1.TimeoutsSpec;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Pricing;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.ShadowRoute;
import dev.switchboard.engine.StrategyBuilder;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.engine.encoder.Encoders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns ExpertModels, RoutingPolicies and the experts' ready endpoints into one immutable {@link RoutingTable}.
 * A policy that cannot be built is left out and reported in {@link BuildResult#errors()}; the others still build,
 * so one broken policy never takes the router down.
 */
public final class RoutingTableBuilder {
    /** Chooses the encoder of a policy from its spec.embedding. */
    @FunctionalInterface
    public interface EncoderFactory {
        Encoder encoder(String namespace, EmbeddingSpec spec, SecretResolver secrets);
    }

    /** The per-JVM shared, cached encoders of {@link Encoders#forSpec}. */
    public static final EncoderFactory SHARED_ENCODERS =
            (namespace, spec, secrets) -> Encoders.forSpec(spec, ref -> secrets.resolve(namespace, ref));

    private RoutingTableBuilder() {
    }

    public static BuildResult build(long version, Collection<ExpertModel> experts, Collection<RoutingPolicy> policies,
                                    ExpertEndpoints endpoints, SecretResolver secrets, ArtifactSource artifacts,
                                    StrategyRegistry registry) {
        return build(version, experts, policies, endpoints, secrets, artifacts, registry, SHARED_ENCODERS);
    }

    public static BuildResult build(long version, Collection<ExpertModel> experts, Collection<RoutingPolicy> policies,
                                    ExpertEndpoints endpoints, SecretResolver secrets, ArtifactSource artifacts,
                                    StrategyRegistry registry, EncoderFactory encoders) {
        return build(version, experts, policies, policies, endpoints, secrets, artifacts, registry, encoders);
    }

    /**
     * @param policies the policies to serve
     * @param shadows  the policies their {@code spec.shadow} may name (those of the namespace, served or not); a
     *                 shadow is built for deciding only, never served under its model name through this table
     */
    public static BuildResult build(long version, Collection<ExpertModel> experts, Collection<RoutingPolicy> policies,
                                    Collection<RoutingPolicy> shadows, ExpertEndpoints endpoints,
                                    SecretResolver secrets, ArtifactSource artifacts, StrategyRegistry registry,
                                    EncoderFactory encoders) {
        Map<String, String> expertProblems = new TreeMap<>();
        // namespace -> name -> info, in a stable order so duplicates resolve the same way on every build
        Map<String, Map<String, ExpertInfo>> byNamespace = new TreeMap<>();
        Map<String, ExpertModel> models = new LinkedHashMap<>();
        Map<String, ExpertInfo> byServedName = new LinkedHashMap<>();
        Set<String> scaleFromZero = experts.stream().filter(ExpertModel::scalesFromZero).map(RoutingTableBuilder::key)
                .collect(Collectors.toSet());
        for (ExpertModel model : sorted(experts, RoutingTableBuilder::key)) {
            ExpertInfo info = expertInfo(model, endpoints, secrets, expertProblems, coldStart(model, scaleFromZero));
            byNamespace.computeIfAbsent(info.namespace(), ns -> new TreeMap<>()).put(info.name(), info);
            models.put(key(model), model);
            ExpertInfo previous = byServedName.putIfAbsent(info.servedModelName(), info);
            if (previous != null) {
                expertProblems.put(key(model), "model name '" + info.servedModelName() + "' is already served by "
                        + previous.namespace() + "/" + previous.name() + "; pinned requests go there");
            }
        }

        Map<String, String> errors = new TreeMap<>();
        Map<String, PolicyRoute> byModelName = new LinkedHashMap<>();
        Map<String, PolicyRoute> byKey = new TreeMap<>();
        Map<String, RoutingPolicy> withShadow = new TreeMap<>();
        for (RoutingPolicy policy : sorted(policies, RoutingTableBuilder::key)) {
            String key = key(policy);
            try {
                PolicyRoute route = policyRoute(policy, byNamespace.getOrDefault(namespace(policy), Map.of()),
                        models, secrets, artifacts, registry, encoders);
                byKey.put(key, route);
                if (policy.getSpec().shadow != null) {
                    withShadow.put(key, policy);
                }
                PolicyRoute previous = byModelName.putIfAbsent(route.modelName(), route);
                if (previous != null) {
                    throw new InvalidPolicyException("spec.modelName: '" + route.modelName()
                            + "' is already served by policy " + previous.namespace() + "/" + previous.name());
                }
            } catch (InvalidPolicyException e) {
                errors.put(key, e.getMessage());
            } catch (RuntimeException e) {
                // Builders should throw InvalidPolicyException; anything else still must not break other policies.
                errors.put(key, "spec.strategy: cannot build strategy: " + e);
            }
        }
        Map<String, String> shadowProblems = new TreeMap<>();
        Map<String, ShadowRoute> shadowRoutes = new TreeMap<>();
        withShadow.forEach((key, live) -> {
            if (errors.containsKey(key)) {
                return; // not served, so nothing to shadow
            }
            PolicyShadow shadow = PolicyShadow.of(live, shadows, models.values()).orElseThrow();
            if (!shadow.usable()) {
                shadowProblems.put(key, shadow.message());
                return;
            }
            RoutingPolicy policy = shadow.shadow();
            try {
                PolicyRoute route = byKey.get(key(policy));
                if (route == null) {
                    route = policyRoute(policy, byNamespace.getOrDefault(namespace(policy), Map.of()), models,
                            secrets, artifacts, registry, encoders);
                }
                shadowRoutes.put(key, new ShadowRoute(live.getMetadata().getName(), generation(live), route,
                        generation(policy), live.getSpec().shadow.sampleAnswersOrZero()));
            } catch (RuntimeException e) {
                shadowProblems.put(key, References.SHADOW_POLICY + ": RoutingPolicy '" + policy.getMetadata().getName()
                        + "' cannot decide: " + e.getMessage());
            }
        });
        return new BuildResult(new RoutingTable(version, byModelName, byServedName, shadowRoutes), errors,
                expertProblems, shadowProblems);
    }

    private static long generation(RoutingPolicy policy) {
        Long generation = policy.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    /**
     * The policy's existing experts ({@link PolicyExperts}) as the router sees them, once the policy passed the
     * shared {@link PolicyRules}.
     */
    static Map<String, ExpertInfo> selectExperts(RoutingPolicy policy, Map<String, ExpertInfo> inNamespace,
                                                 Map<String, ExpertModel> models) {
        PolicyExperts resolved = PolicyExperts.resolve(policy, models.values());
        List<Problem> problems = PolicyRules.check(resolved);
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems.stream().map(Problem::toString)
                    .collect(Collectors.joining("; ")));
        }
        Map<String, ExpertInfo> selected = new TreeMap<>();
        resolved.found().keySet().forEach(name -> selected.put(name, inNamespace.get(name)));
        return selected;
    }

    private static PolicyRoute policyRoute(RoutingPolicy policy, Map<String, ExpertInfo> inNamespace,
                                           Map<String, ExpertModel> models, SecretResolver secrets,
                                           ArtifactSource artifacts, StrategyRegistry registry,
                                           EncoderFactory encoders) {
        Map<String, ExpertInfo> experts = selectExperts(policy, inNamespace, models);
        RoutingPolicySpec spec = policy.getSpec();
        String name = policy.getMetadata().getName();
        String namespace = namespace(policy);
        StrategyBuilder builder = registry.builder(spec.strategy.type).orElseThrow(() -> new InvalidPolicyException(
                "spec.strategy.type: '" + spec.strategy.type + "' is not implemented by this router (available: "
                        + String.join(", ", registry.types()) + ")"));
        StrategyContext context = new LazyContext(namespace, spec.embedding, secrets, artifacts, encoders);
        RoutingStrategy strategy;
        try {
            strategy = builder.build(name, spec, experts, context);
        } catch (InvalidPolicyException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
        return new PolicyRoute(name, namespace, policy.modelName(), strategy, experts, spec.fallback,
                failover(spec.failover), timeouts(spec.timeouts), picking(spec.endpointPicking), holding(spec.holding),
                caps(spec.requestLimits));
    }

    static PolicyRoute.RequestCaps caps(RequestLimitsSpec spec) {
        if (spec == null) {
            return PolicyRoute.RequestCaps.NONE;
        }
        return new PolicyRoute.RequestCaps(spec.maxTokens == null ? 0 : Math.max(0, spec.maxTokens),
                spec.maxN == null ? 0 : Math.max(0, spec.maxN));
    }

    /** Resolves the encoder only when a strategy asks for it, so static policies never load a model. */
    private static final class LazyContext implements StrategyContext {
        private final String namespace;
        private final EmbeddingSpec embedding;
        private final SecretResolver secrets;
        private final ArtifactSource artifacts;
        private final EncoderFactory encoders;
        private Encoder encoder;

        LazyContext(String namespace, EmbeddingSpec embedding, SecretResolver secrets, ArtifactSource artifacts,
                    EncoderFactory encoders) {
            this.namespace = namespace;
            this.embedding = embedding;
            this.secrets = secrets;
            this.artifacts = artifacts;
            this.encoders = encoders;
        }

        @Override
        public Encoder encoder() {
            if (encoder == null) {
                try {
                    encoder = encoders.encoder(namespace, embedding, secrets);
                } catch (IllegalArgumentException e) {
                    String msg = e.getMessage() != null && e.getMessage().startsWith("spec.") ? e.getMessage()
                            : "spec.embedding: " + e.getMessage();
                    throw new InvalidPolicyException(msg, e);
                } catch (LinkageError e) {
                    // e.g. ONNX Runtime's native library missing on this platform: fail this policy, not the table.
                    throw new InvalidPolicyException("spec.embedding: cannot load the encoder: " + e, e);
                }
            }
            return encoder;
        }

        @Override
        public Optional<String> artifact(String configMapName, String key) {
            return artifacts.artifact(namespace, configMapName, key);
        }
    }

    /** Scales from zero itself, or is an adapter on a base that does: its requests can be held while it starts. */
    static boolean coldStart(ExpertModel model, Set<String> scaleFromZero) {
        if (model.isAdapter()) {
            return model.getSpec().adapter.base != null
                    && scaleFromZero.contains(namespace(model) + "/" + model.getSpec().adapter.base);
        }
        return scaleFromZero.contains(key(model));
    }

    static ExpertInfo expertInfo(ExpertModel model, ExpertEndpoints endpoints, SecretResolver secrets,
                                 Map<String, String> problems) {
        return expertInfo(model, endpoints, secrets, problems, false);
    }

    /** The router's view of one ExpertModel. */
    static ExpertInfo expertInfo(ExpertModel model, ExpertEndpoints endpoints, SecretResolver secrets,
                                 Map<String, String> problems, boolean coldStart) {
        String namespace = namespace(model);
        List<Endpoint> ready = model.getSpec() == null ? List.of() : List.copyOf(endpoints.ready(model));
        String apiKey = null;
        boolean holdable = coldStart;
        // An external expert's key, or the one the operator generated for a deployed expert's vLLM.
        Optional<ExpertApiKey> required = model.getSpec() == null ? Optional.empty() : ExpertApiKey.of(model);
        if (required.isPresent()) {
            var ref = required.get().ref();
            Optional<String> key = secrets.resolve(namespace, ref);
            // A Secret written with `echo` ends in a newline: trimmed. A value that still holds control characters
            // cannot go into a header; the problem names the Secret, never the value.
            String value = key.map(String::strip).orElse(null);
            if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                problems.put(key(model), required.get().field() + ": Secret " + ref.name + " key " + ref.key
                        + " holds control characters (not usable in an Authorization header)");
                ready = List.of();
            } else if (value != null && !value.isEmpty()) {
                apiKey = value;
            } else {
                // Calling it without its key would only collect 401s: keep it out of routing until the Secret exists.
                problems.put(key(model), required.get().field() + ": Secret " + ref.name + " key " + ref.key
                        + " not found");
                ready = List.of();
                holdable = false;
            }
        }
        Expertise expertise = model.getSpec() == null || model.getSpec().expertise == null
                ? new Expertise() : model.getSpec().expertise;
        return new ExpertInfo(model.getMetadata().getName(), namespace, model.servedModelName(),
                model.upstreamModelName(), ready, apiKey, nonNullSet(expertise.categories), expertise.description,
                nonNullList(expertise.examples), Boolean.TRUE.equals(expertise.generalist),
                expertise.quality == null ? Map.of() : expertise.quality,
                cost(model.getSpec() == null ? null : model.getSpec().cost),
                pricing(model.getSpec() == null ? null : model.getSpec().cost), holdable, model.embeds());
    }

    /** Token prices when spec.cost gives any, else cost.relative per query. */
    static Pricing pricing(CostSpec cost) {
        if (cost == null) {
            return Pricing.FREE;
        }
        if (cost.inputPerMillionTokens != null || cost.outputPerMillionTokens != null) {
            return new Pricing(cost.relative == null ? 0 : cost.relative,
                    cost.inputPerMillionTokens == null ? 0 : cost.inputPerMillionTokens,
                    cost.outputPerMillionTokens == null ? 0 : cost.outputPerMillionTokens);
        }
        return Pricing.perQuery(cost.relative == null ? 0 : cost.relative);
    }

    /**
     * cost.relative when given; else the mean of the input and output prices per million tokens (a query reads
     * and writes comparable amounts); else 0.
     */
    static double cost(CostSpec cost) {
        if (cost == null) {
            return 0;
        }
        if (cost.relative != null) {
            return cost.relative;
        }
        if (cost.inputPerMillionTokens != null || cost.outputPerMillionTokens != null) {
            double in = cost.inputPerMillionTokens == null ? 0 : cost.inputPerMillionTokens;
            double out = cost.outputPerMillionTokens == null ? 0 : cost.outputPerMillionTokens;
            int n = (cost.inputPerMillionTokens == null ? 0 : 1) + (cost.outputPerMillionTokens == null ? 0 : 1);
            return (in + out) / n;
        }
        return 0;
    }

    static PolicyRoute.FailoverPolicy failover(FailoverSpec spec) {
        if (spec == null) {
            return PolicyRoute.FailoverPolicy.DEFAULT;
        }
        PolicyRoute.FailoverPolicy d = PolicyRoute.FailoverPolicy.DEFAULT;
        Set<UpstreamFailure> retryOn = spec.retryOn == null ? d.retryOn()
                : spec.retryOn.stream().map(UpstreamFailure::of).collect(Collectors.toSet());
        Duration openFor;
        try {
            openFor = spec.circuitBreakerOpenFor == null ? d.breakerOpenFor()
                    : GoDurations.parse("spec.failover.circuitBreakerOpenFor", spec.circuitBreakerOpenFor);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
        return new PolicyRoute.FailoverPolicy(spec.maxAttempts == null ? d.maxAttempts() : spec.maxAttempts,
                retryOn, spec.circuitBreakerFailures == null ? d.breakerFailures()
                : spec.circuitBreakerFailures, openFor);
    }

    static PolicyRoute.Holding holding(dev.switchboard.api.v1alpha1.HoldingSpec spec) {
        if (spec == null) {
            return PolicyRoute.Holding.DEFAULT;
        }
        try {
            return new PolicyRoute.Holding(spec.maxWait == null ? PolicyRoute.Holding.DEFAULT.maxWait()
                    : GoDurations.parse("spec.holding.maxWait", spec.maxWait),
                    spec.maxQueued == null ? PolicyRoute.Holding.DEFAULT.maxQueued() : Math.max(0, spec.maxQueued));
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
    }

    static PolicyRoute.Timeouts timeouts(TimeoutsSpec spec) {
        PolicyRoute.Timeouts d = PolicyRoute.Timeouts.DEFAULT;
        if (spec == null) {
            return d;
        }
        try {
            return new PolicyRoute.Timeouts(
                    spec.connect == null ? d.connect() : GoDurations.parse("spec.timeouts.connect", spec.connect),
                    spec.firstByte == null ? d.firstByte()
                            : GoDurations.parse("spec.timeouts.firstByte", spec.firstByte),
                    spec.request == null ? d.request() : GoDurations.parse("spec.timeouts.request", spec.request));
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
    }

    static EndpointPicking picking(EndpointPickingSpec spec) {
        EndpointPicking d = EndpointPicking.DEFAULT;
        if (spec == null) {
            return d;
        }
        try {
            SessionAffinitySpec session = spec.session;
            String header = session == null ? d.sessionHeader() : session.header;
            return new EndpointPicking(spec.type == null ? d.type() : EndpointPicking.Type.of(spec.type),
                    spec.loadFactor == null ? d.loadFactor() : spec.loadFactor,
                    header == null || header.isBlank() ? null : header.toLowerCase(java.util.Locale.ROOT),
                    session == null || session.userField == null ? d.sessionUser() : session.userField,
                    session == null || session.stickyExpert == null ? d.stickyExpert() : session.stickyExpert,
                    session == null || session.ttl == null ? d.sessionTtl()
                            : GoDurations.parse("spec.endpointPicking.session.ttl", session.ttl));
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
    }

    private static <T> List<T> sorted(Collection<T> items, java.util.function.Function<T, String> key) {
        List<T> list = new ArrayList<>(items);
        list.sort(Comparator.comparing(key));
        return list;
    }

    private static String namespace(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        String ns = resource.getMetadata().getNamespace();
        return ns == null ? "default" : ns;
    }

    static String key(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        return namespace(resource) + "/" + resource.getMetadata().getName();
    }

    private static Set<String> nonNullSet(List<String> values) {
        return values == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(values));
    }

    private static List<String> nonNullList(List<String> values) {
        return values == null ? List.of() : values;
    }

}
