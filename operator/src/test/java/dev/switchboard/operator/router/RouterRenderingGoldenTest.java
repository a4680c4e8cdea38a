package dev.switchboard.operator.router;

import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.Golden;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouterRenderingGoldenTest {
    private final OperatorConfig config = OperatorConfig.defaults();

    @Test
    void categoryPolicyWithTwoRouterReplicas() {
        RoutingPolicy coe = TestResources.policyExample("category-policy");
        List<ExpertModel> experts = List.of(TestResources.example("math"), TestResources.example("external"));
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(RouterRenderer.serviceAccount(coe));
        objects.add(RouterRenderer.role(coe, List.copyOf(PolicyExperts.resolve(coe, experts).routerSecrets())));
        objects.add(RouterRenderer.roleBinding(coe));
        objects.add(RouterRenderer.deployment(coe, config));
        objects.add(RouterRenderer.service(coe));
        RouterRenderer.podDisruptionBudget(coe).ifPresent(objects::add);
        Golden.assertMatches("router-category-policy", objects);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsOnly("coe-router");
        assertThat(RouterRenderer.podDisruptionBudget(coe)).isPresent();
        var role = RouterRenderer.role(coe, List.copyOf(PolicyExperts.resolve(coe, experts).routerSecrets()));
        assertThat(role.getRules()).anySatisfy(r -> {
            assertThat(r.getResources()).containsExactly("secrets");
            assertThat(r.getResourceNames()).containsExactly("frontier-api-key");
        });
        var env = RouterRenderer.deployment(coe, config).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv();
        assertThat(env).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SWITCHBOARD_MODE=kubernetes", "SWITCHBOARD_NAMESPACE=llm", "SWITCHBOARD_POLICY=coe",
                        "SWITCHBOARD_AUTH_MODE=api-keys", "SWITCHBOARD_LIMITS_REPLICAS=2");
    }

    @Test
    void probesAndMetricsUseTheManagementPortAndKeysComeFromTheMountedSecret() {
        RoutingPolicy coe = TestResources.policyExample("category-policy");
        var pod = RouterRenderer.deployment(coe, config).getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8080", "management:9000");
        for (var probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(),
                container.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
        }
        assertThat(RouterRenderer.service(coe).getSpec().getPorts()).extracting(p -> p.getName())
                .containsExactly("http", "management");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement().satisfies(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo("switchboard-router-api-keys");
            assertThat(v.getSecret().getOptional()).isTrue();
        });
        assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SWITCHBOARD_AUTH_KEYS_FILE=/etc/switchboard/api-keys/keys.yaml");

        var open = RouterRenderer.deployment(coe, config.withRouterAccess(
                new OperatorConfig.RouterAccess(true, null))).getSpec().getTemplate().getSpec();
        assertThat(open.getVolumes()).noneSatisfy(v -> assertThat(v.getName()).isEqualTo("api-keys"));
        assertThat(open.getContainers().get(0).getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SWITCHBOARD_AUTH_MODE=open").noneMatch(e -> e.startsWith("SWITCHBOARD_AUTH_KEYS_FILE"));
    }

    @Test
    void tracingSettingsReachTheRouterOnlyWhenAnEndpointIsConfigured() {
        RoutingPolicy coe = TestResources.policyExample("category-policy");
        var off = RouterRenderer.deployment(coe, config).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(off.getEnv()).noneMatch(e -> e.getName().startsWith("QUARKUS_OTEL"));

        var on = RouterRenderer.deployment(coe, config.withRouterTracing(new OperatorConfig.RouterTracing(
                "http://otel-collector.observability:4317", "grpc", 0.25))).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(on.getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).contains(
                "QUARKUS_OTEL_SDK_DISABLED=false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://otel-collector.observability:4317",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc", "QUARKUS_OTEL_TRACES_SAMPLER_ARG=0.25",
                "QUARKUS_OTEL_RESOURCE_ATTRIBUTES=k8s.namespace.name=llm,switchboard.policy=coe");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OperatorConfig.RouterTracing("collector:4317",
                "grpc", 1)).hasMessageContaining("router-tracing-endpoint");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OperatorConfig.RouterTracing("http://c:4317",
                "http/json", 1)).hasMessageContaining("grpc or http/protobuf");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OperatorConfig.RouterTracing("http://c:4317",
                "grpc", 1.5)).hasMessageContaining("0..1");
    }

    @Test
    void singleReplicaHasNoPdbAndNoSecretRule() {
        RoutingPolicy p = TestResources.policyYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: solo}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """);
        assertThat(RouterRenderer.podDisruptionBudget(p)).isEmpty();
        assertThat(RouterRenderer.role(p, List.copyOf(PolicyExperts.resolve(p, List.of()).routerSecrets())).getRules())
                .noneSatisfy(r -> assertThat(r.getResources()).contains("secrets"));
        assertThat(RouterRenderer.endpoint(p)).isEqualTo("http://solo-router.llm.svc:8080/v1");
    }
}
