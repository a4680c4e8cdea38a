package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.engine.Endpoint;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How EndpointSlices and external experts' status turn into endpoints. */
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
}
