package dev.switchboard.operator.router;

import dev.switchboard.api.rules.Reference;
import dev.switchboard.api.rules.References;
import dev.switchboard.api.v1alpha1.RouterDeploymentSpec;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** RoutingPolicy → the router's ServiceAccount, Role, RoleBinding, Deployment, Service and PDB. Pure. */
public final class RouterRenderer {
    public static final int PORT = 8080;
    /** /q/health, /q/metrics, /q/routing and /q/tenants: never on the client port. */
    public static final int MANAGEMENT_PORT = 9000;
    public static final String CONTAINER = "router";
    /** Where the keys file of the API-keys Secret is mounted. */
    public static final String API_KEYS_DIR = "/etc/switchboard/api-keys";

    private RouterRenderer() {
    }

    private static ObjectMeta meta(RoutingPolicy policy) {
        return new ObjectMetaBuilder()
                .withName(RouterLabels.routerName(policy))
                .withNamespace(policy.getMetadata().getNamespace())
                .withLabels(RouterLabels.of(policy))
                .withOwnerReferences(Owners.controllerRef(policy))
                .build();
    }

    public static ServiceAccount serviceAccount(RoutingPolicy policy) {
        return new ServiceAccountBuilder().withMetadata(meta(policy)).build();
    }

    /**
     * What the router reads: experts, policies, EndpointSlices, ConfigMaps (trained artifacts), and by name the
     * API-key Secrets of its experts, its shadow's experts and its embedding endpoint that passed the trust checks
     * and were granted to Switchboard; it writes only its own policy's status (routingTable) and its shadow
     * policy's (shadow).
     */
    public static Role role(RoutingPolicy policy, List<String> secretNames) {
        List<PolicyRule> rules = new ArrayList<>();
        rules.add(new PolicyRuleBuilder().withApiGroups("switchboard.dev")
                .withResources("expertmodels", "routingpolicies").withVerbs("get", "list", "watch").build());
        rules.add(new PolicyRuleBuilder().withApiGroups("switchboard.dev")
                .withResources("routingpolicies/status").withResourceNames(statusNames(policy))
                .withVerbs("get", "patch").build());
        rules.add(new PolicyRuleBuilder().withApiGroups("discovery.k8s.io")
                .withResources("endpointslices").withVerbs("get", "list", "watch").build());
        rules.add(new PolicyRuleBuilder().withApiGroups("")
                .withResources("configmaps").withVerbs("get", "list", "watch").build());
        // An empty resourceNames list would mean every Secret: only add the rule when there are names.
        if (!secretNames.isEmpty()) {
            rules.add(new PolicyRuleBuilder().withApiGroups("")
                    .withResources("secrets").withResourceNames(secretNames).withVerbs("get").build());
        }
        return new RoleBuilder().withMetadata(meta(policy)).withRules(rules).build();
    }

    /** The policy itself, and the policy deciding in shadow on its requests (status.shadow). */
    private static List<String> statusNames(RoutingPolicy policy) {
        List<String> names = new ArrayList<>(List.of(policy.getMetadata().getName()));
        References.of(policy).at(References.SHADOW_POLICY).map(Reference::name)
                .filter(n -> !names.contains(n)).ifPresent(names::add);
        return names;
    }

    public static RoleBinding roleBinding(RoutingPolicy policy) {
        String name = RouterLabels.routerName(policy);
        return new RoleBindingBuilder().withMetadata(meta(policy))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name)
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name)
                .withNamespace(policy.getMetadata().getNamespace()).endSubject()
                .build();
    }

    public static int replicas(RoutingPolicy policy) {
        RouterDeploymentSpec router = policy.getSpec() == null ? null : policy.getSpec().router;
        return router == null || router.replicas == null ? 1 : router.replicas;
    }

    public static Deployment deployment(RoutingPolicy policy, OperatorConfig config) {
        RouterDeploymentSpec router = policy.getSpec() == null || policy.getSpec().router == null
                ? new RouterDeploymentSpec() : policy.getSpec().router;
        String image = router.image != null && !router.image.isBlank() ? router.image : config.routerImage();
        String name = RouterLabels.routerName(policy);
        return new DeploymentBuilder()
                .withMetadata(meta(policy))
                .withNewSpec()
                .withReplicas(replicas(policy))
                .withRevisionHistoryLimit(3)
                .withNewSelector().withMatchLabels(RouterLabels.selector(policy)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(RouterLabels.of(policy)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(name)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(30L)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy(config.imagePullPolicy())
                .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
                .addNewPort().withName("management").withContainerPort(MANAGEMENT_PORT).withProtocol("TCP").endPort()
                .addNewEnv().withName("SWITCHBOARD_MODE").withValue("kubernetes").endEnv()
                .addNewEnv().withName("SWITCHBOARD_NAMESPACE").withValue(policy.getMetadata().getNamespace()).endEnv()
                .addNewEnv().withName("SWITCHBOARD_POLICY").withValue(policy.getMetadata().getName()).endEnv()
                .addAllToEnv(accessEnv(config.routerAccess(), replicas(policy)))
                .addAllToEnv(tracingEnv(config.routerTracing(), policy))
                // this replica's key in status.demand (the built-in autoscaler's input)
                .addNewEnv().withName("SWITCHBOARD_KUBERNETES_POD_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .withResources(router.resources)
                .withReadinessProbe(probe("/q/health/ready", 5, 3))
                .withLivenessProbe(probe("/q/health/live", 10, 3))
                .withNewStartupProbe().withNewHttpGet().withPath("/q/health/started")
                .withPort(new IntOrString("management")).endHttpGet().withPeriodSeconds(2).withFailureThreshold(60)
                .endStartupProbe()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addAllToVolumeMounts(config.routerAccess().open() ? List.of() : List.of(new VolumeMountBuilder()
                        .withName("api-keys").withMountPath(API_KEYS_DIR).withReadOnly(true).build()))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addAllToVolumes(config.routerAccess().open() ? List.of() : List.of(new VolumeBuilder()
                        .withName("api-keys").withNewSecret().withSecretName(config.routerAccess().apiKeysSecret())
                        .withOptional(true).endSecret().build()))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static Service service(RoutingPolicy policy) {
        return new ServiceBuilder()
                .withMetadata(meta(policy))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(RouterLabels.selector(policy))
                .addNewPort().withName("http").withProtocol("TCP").withPort(PORT)
                .withTargetPort(new IntOrString(PORT)).endPort()
                .addNewPort().withName("management").withProtocol("TCP").withPort(MANAGEMENT_PORT)
                .withTargetPort(new IntOrString(MANAGEMENT_PORT)).endPort()
                .endSpec()
                .build();
    }

    /** Only for more than one replica: a PDB on a single replica would block node drains forever. */
    public static Optional<PodDisruptionBudget> podDisruptionBudget(RoutingPolicy policy) {
        if (replicas(policy) <= 1) {
            return Optional.empty();
        }
        return Optional.of(new PodDisruptionBudgetBuilder()
                .withMetadata(meta(policy))
                .withNewSpec()
                .withMinAvailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(RouterLabels.selector(policy)).endSelector()
                .endSpec()
                .build());
    }

    public static String endpoint(RoutingPolicy policy) {
        return "http://" + RouterLabels.routerName(policy) + "." + policy.getMetadata().getNamespace()
                + ".svc:" + PORT + "/v1";
    }

    /**
     * How the router admits clients, and how many replicas share each tenant's limits. With API keys the keys file
     * comes from the admin's Secret, mounted by the kubelet (optional: without it no key is accepted): the router
     * reads a file and is granted no access to that Secret.
     */
    private static List<EnvVar> accessEnv(OperatorConfig.RouterAccess access, int replicas) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SWITCHBOARD_AUTH_MODE", access.open() ? "open" : "api-keys", null));
        if (!access.open()) {
            env.add(new EnvVar("SWITCHBOARD_AUTH_KEYS_FILE", API_KEYS_DIR + "/keys.yaml", null));
        }
        env.add(new EnvVar("SWITCHBOARD_LIMITS_REPLICAS", Integer.toString(Math.max(1, replicas)), null));
        return env;
    }

    /**
     * Quarkus' OpenTelemetry settings when the chart names an OTLP endpoint (the router's own default keeps its SDK
     * off); the resource says which policy's router sent a span.
     */
    private static List<EnvVar> tracingEnv(OperatorConfig.RouterTracing tracing, RoutingPolicy policy) {
        if (!tracing.enabled()) {
            return List.of();
        }
        return List.of(new EnvVar("QUARKUS_OTEL_SDK_DISABLED", "false", null),
                new EnvVar("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tracing.endpoint(), null),
                new EnvVar("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", tracing.protocol(), null),
                new EnvVar("QUARKUS_OTEL_TRACES_SAMPLER_ARG", Double.toString(tracing.sampleRatio()), null),
                new EnvVar("QUARKUS_OTEL_RESOURCE_ATTRIBUTES", "k8s.namespace.name="
                        + policy.getMetadata().getNamespace() + ",switchboard.policy=" + policy.getMetadata().getName(),
                        null));
    }

    private static Probe probe(String path, int period, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("management")).endHttpGet()
                .withPeriodSeconds(period).withFailureThreshold(failures).withTimeoutSeconds(3).build();
    }
}
