package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutingStrategy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How EndpointSlices and external experts' status turn into endpoints, and the status rows written back. */
class KubernetesEndpointsTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    static ExpertModel expert(String yaml) {
        return YAML.unmarshal(yaml, ExpertModel.class);
    }

    static EndpointSlice slice(String yaml) {
        return YAML.unmarshal(yaml, EndpointSlice.class);
    }

    @Test
    void onlyReadyAddressesOnTheHttpPortCount() throws Exception {
        ExpertModel math = expert("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math}
                spec: {model: {uri: "hf://a/b"}}
                """);
        EndpointSlice v4 = slice("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: math-1, labels: {kubernetes.io/service-name: math}}
                addressType: IPv4
                ports: [{name: metrics, port: 9090}, {name: http, port: 8000}]
                endpoints:
                  - addresses: ["10.1.0.1"]
                    conditions: {ready: true}
                  - addresses: ["10.1.0.2"]
                    conditions: {ready: false}
                  - addresses: ["10.1.0.3"]
                """);
        EndpointSlice v6 = slice("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: math-2, labels: {kubernetes.io/service-name: math}}
                addressType: IPv6
                ports: [{port: 8000}]
                endpoints:
                  - addresses: ["fd00::5"]
                    conditions: {ready: true}
                """);
        assertThat(KubernetesTableSource.endpoints(math, Map.of("math", List.of(v4, v6)), EndpointAddressMap.identity()))
                .containsExactly(new Endpoint("http://10.1.0.1:8000/v1"), new Endpoint("http://[fd00::5]:8000/v1"));
        assertThat(KubernetesTableSource.endpoints(math, Map.of(), EndpointAddressMap.identity())).isEmpty();

        // a simulated cluster maps pod addresses to where their processes listen; unmapped ones are unreachable
        java.nio.file.Path map = java.nio.file.Files.createTempFile("endpoint-map", ".properties");
        java.nio.file.Files.writeString(map, "10.1.0.1\\:8000=127.0.0.1\\:41000\n");
        assertThat(KubernetesTableSource.endpoints(math, Map.of("math", List.of(v4, v6)), new EndpointAddressMap(map)))
                .containsExactly(new Endpoint("http://127.0.0.1:41000/v1"));
    }

    @Test
    void externalExpertIsRoutableUnlessReadyIsFalse() {
        ExpertModel hosted = expert("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: hosted}
                spec: {external: {url: "https://llm.example.com/v1"}}
                """);
        assertThat(KubernetesTableSource.endpoints(hosted, Map.of(), EndpointAddressMap.identity()))
                .containsExactly(new Endpoint("https://llm.example.com/v1"));
        hosted.setStatus(new ExpertModelStatus());
        hosted.getStatus().conditions.add(condition("True"));
        assertThat(KubernetesTableSource.endpoints(hosted, Map.of(), EndpointAddressMap.identity())).hasSize(1);
        hosted.getStatus().conditions.set(0, condition("False"));
        assertThat(KubernetesTableSource.endpoints(hosted, Map.of(), EndpointAddressMap.identity())).isEmpty();
    }

    private static Condition condition(String status) {
        return new ConditionBuilder().withType("Ready").withStatus(status).withReason("Test")
                .withLastTransitionTime("2026-01-01T00:00:00Z").build();
    }

    @Test
    void statusRowsFollowCategoryRoutesAndNameTheFallback() {
        RoutingPolicy policy = YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe}
                spec:
                  experts: {names: [math, general]}
                  fallback: general
                  strategy:
                    type: category
                    category:
                      categories: [{name: math}, {name: chat}]
                      routes:
                        - {category: math, experts: [{name: math}]}
                        - {category: chat, experts: [{name: general}]}
                """, RoutingPolicy.class);
        RoutingStrategy category = new RoutingStrategy() {
            @Override
            public String type() {
                return "category";
            }

            @Override
            public dev.switchboard.engine.Decision decide(dev.switchboard.engine.Query q, PolicyRoute p) {
                throw new UnsupportedOperationException();
            }
        };
        PolicyRoute route = new PolicyRoute("coe", "default", "coe", category, Map.of(
                "math", info("math", 2), "general", info("general", 0)), "general",
                PolicyRoute.FailoverPolicy.DEFAULT, PolicyRoute.Timeouts.DEFAULT);
        RoutingTableStatus status = PolicyStatusWriter.routes(policy, route, 7);
        assertThat(status.version).isEqualTo(7);
        assertThat(status.routes).extracting(r -> r.route + "/" + r.expert + "/" + r.readyEndpoints)
                .containsExactly("math/math/2", "chat/general/0", "fallback/general/0");
    }

    private static ExpertInfo info(String name, int endpoints) {
        List<Endpoint> eps = java.util.stream.IntStream.range(0, endpoints)
                .mapToObj(i -> new Endpoint("http://10.0.0." + i + ":8000/v1")).toList();
        return new ExpertInfo(name, "default", name, name, eps, null, Set.of(), null, List.of(), false, Map.of(), 0);
    }
}
