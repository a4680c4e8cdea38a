package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.AdapterSource;
import dev.switchboard.api.v1alpha1.EngineSpec;
import dev.switchboard.api.v1alpha1.EnvEntry;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.ModelSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What keeps the operator from realising an ExpertModel, each problem naming its field. The operator checks these
 * before it creates anything for the expert and reports them as {@code Ready=False}/{@code Degraded=True}, reason
 * {@code InvalidSpec}. The CRD refuses the same manifests at admission; this check covers resources that did not
 * pass through those rules (an older CRD, a cluster that dropped them).
 */
public final class ExpertRules {
    private static final Pattern ENV_NAME = Pattern.compile(EnvEntry.NAME);
    private static final Pattern URI = Pattern.compile(ModelSource.URI_PATTERN);
    private static final Pattern ADAPTER_URI = Pattern.compile(AdapterSource.URI_PATTERN);

    private ExpertRules() {
    }

    public static List<Problem> check(ExpertModel expert) {
        List<Problem> problems = new ArrayList<>(ObjectNames.of(expert));
        ExpertModelSpec spec = expert.getSpec();
        if (spec == null) {
            problems.add(new Problem("spec", "missing"));
            return problems;
        }
        int sources = (spec.model == null ? 0 : 1) + (spec.external == null ? 0 : 1) + (spec.adapter == null ? 0 : 1);
        if (sources != 1) {
            problems.add(new Problem("spec", ExpertModelSpec.EXACTLY_ONE));
        }
        if (spec.adapter != null) {
            adapter(problems, expert, spec);
        }
        if (spec.autoscaling != null) {
            autoscaling(problems, spec);
        }
        if (spec.model != null) {
            if (spec.model.uri == null || !URI.matcher(spec.model.uri).matches()) {
                problems.add(new Problem("spec.model.uri", "'" + spec.model.uri + "' is not hf://org/name[@revision], "
                        + "pvc://claim/path or s3://bucket/path"));
            }
            if (spec.model.tokenSecretRef != null && (blank(spec.model.tokenSecretRef.name)
                    || blank(spec.model.tokenSecretRef.key))) {
                problems.add(new Problem("spec.model.tokenSecretRef", "needs both name and key"));
            }
        }
        if (spec.external != null && blank(spec.external.url)) {
            problems.add(new Problem("spec.external.url", "missing"));
        }
        if (spec.replicas != null && spec.replicas < 0) {
            problems.add(new Problem("spec.replicas", "must be >= 0, got " + spec.replicas));
        }
        if (spec.resources != null && spec.resources.gpus != null && spec.resources.gpus < 0) {
            problems.add(new Problem("spec.resources.gpus", "must be >= 0, got " + spec.resources.gpus));
        }
        env(problems, spec.engine);
        return problems;
    }

    private static void adapter(List<Problem> problems, ExpertModel expert, ExpertModelSpec spec) {
        if (blank(spec.adapter.base)) {
            problems.add(new Problem("spec.adapter.base", "missing: the base ExpertModel whose pods serve the adapter"));
        } else if (spec.adapter.base.equals(expert.getMetadata().getName())) {
            problems.add(new Problem("spec.adapter.base", "an adapter cannot be its own base"));
        }
        if (spec.adapter.uri == null || !ADAPTER_URI.matcher(spec.adapter.uri).matches()) {
            problems.add(new Problem("spec.adapter.uri", "'" + spec.adapter.uri + "' is not hf://org/name or "
                    + "pvc://claim/path (vLLM loads adapters without a revision)"));
        } else if (spec.adapter.uri.contains("/../") || spec.adapter.uri.endsWith("/..")) {
            problems.add(new Problem("spec.adapter.uri", AdapterSource.NO_PARENT_SEGMENT.substring(
                    "spec.adapter.uri ".length())));
        }
        if (spec.adapter.rank != null && (spec.adapter.rank < 1 || spec.adapter.rank > 512)) {
            problems.add(new Problem("spec.adapter.rank", "must be 1..512, got " + spec.adapter.rank));
        }
        if (spec.engine != null || spec.cache != null || spec.resources != null || spec.autoscaling != null) {
            problems.add(new Problem("spec.adapter", "spec.engine, spec.cache, spec.resources and spec.autoscaling "
                    + "do not apply to an adapter: set them on the base"));
        }
    }

    private static void autoscaling(List<Problem> problems, ExpertModelSpec spec) {
        var a = spec.autoscaling;
        if (spec.external != null) {
            problems.add(new Problem("spec.autoscaling", "applies only to deployed experts, not to spec.external"));
        }
        if (a.maxReplicas == null || a.maxReplicas < 1) {
            problems.add(new Problem("spec.autoscaling.maxReplicas", "must be at least 1, got " + a.maxReplicas));
        } else if (a.minOrDefault() > a.maxReplicas) {
            problems.add(new Problem("spec.autoscaling.minReplicas", "must not exceed spec.autoscaling.maxReplicas ("
                    + a.maxReplicas + "), got " + a.minReplicas));
        }
        if (a.minReplicas != null && a.minReplicas < 0) {
            problems.add(new Problem("spec.autoscaling.minReplicas", "must be >= 0, got " + a.minReplicas));
        }
        if (a.targetInFlightPerReplica != null && a.targetInFlightPerReplica < 1) {
            problems.add(new Problem("spec.autoscaling.targetInFlightPerReplica", "must be at least 1, got "
                    + a.targetInFlightPerReplica));
        }
        if (a.scaleDownDelay != null) {
            GoDurations.problem("spec.autoscaling.scaleDownDelay", a.scaleDownDelay).ifPresent(problems::add);
        }
    }

    private static void env(List<Problem> problems, EngineSpec engine) {
        List<EnvEntry> env = engine == null || engine.env == null ? List.of() : engine.env;
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            EnvEntry e = env.get(i);
            String at = "spec.engine.env[" + i + "]";
            if (e == null || blank(e.name)) {
                problems.add(new Problem(at + ".name", "missing: every environment variable needs a name"));
                continue;
            }
            if (!ENV_NAME.matcher(e.name).matches()) {
                problems.add(new Problem(at + ".name", "'" + e.name + "' is not a valid environment variable name "
                        + "(letters, digits, '_', '-' and '.', not starting with a digit)"));
            }
            Integer first = seen.putIfAbsent(e.name, i);
            if (first != null) {
                problems.add(new Problem(at + ".name", "'" + e.name + "' is also spec.engine.env[" + first + "]: "
                        + "each name may appear once"));
            }
            if (e.value != null && !e.value.isEmpty() && e.valueFrom != null) {
                problems.add(new Problem(at, "value and valueFrom are mutually exclusive"));
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
