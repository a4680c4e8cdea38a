package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's key templates rendered with several value sets (Helm "unit tests", asserted on the parsed objects). */
class HelmTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The operator's ClusterRole, exactly: anything added here must be a deliberate, reviewed change. */
    private static final String EXPECTED_RULES = """
            [
             {"apiGroups":["switchboard.dev"],"resources":["expertmodels","routingpolicies"],"verbs":["get","list","watch"]},
             {"apiGroups":["switchboard.dev"],"resources":["expertmodels/status","routingpolicies/status"],"verbs":["get","patch"]},
             {"apiGroups":["switchboard.dev"],"resources":["expertmodels/scale"],"verbs":["get","update"]},
             {"apiGroups":["apps"],"resources":["deployments"],"verbs":["get","list","watch","create","patch","delete"]},
             {"apiGroups":[""],"resources":["services"],"verbs":["get","list","watch","create","patch","delete"]},
             {"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]},
             {"apiGroups":[""],"resources":["persistentvolumeclaims","serviceaccounts"],"verbs":["get","create","patch"]},
             {"apiGroups":["policy"],"resources":["poddisruptionbudgets"],"verbs":["get","create","patch","delete"]},
             {"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],"verbs":["get","create","patch"]},
             {"apiGroups":["monitoring.coreos.com"],"resources":["servicemonitors"],"verbs":["get","create","patch"]},
             {"apiGroups":["discovery.k8s.io"],"resources":["endpointslices"],"verbs":["get","list","watch"]},
             {"apiGroups":[""],"resources":["configmaps"],"verbs":["get","list","watch"]},
             {"apiGroups":["","events.k8s.io"],"resources":["events"],"verbs":["create","patch"]}
            ]""";

    static Manifests render(String... sets) {
        return Manifests.parse(Tools.template("switchboard", "switchboard-system", sets).ok());
    }

    @Test
    void defaultsRenderTheOperatorWithRestrictedSecurityAndDocumentedDefaults() throws Exception {
        Manifests m = render();

        assertThat(m.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Service", "Deployment", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

        JsonNode deployment = m.get("Deployment", "switchboard");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/switchboard-dev/switchboard-operator:0.1.0");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("switchboard");
        assertThat(pod.has("imagePullSecrets")).isFalse();

        // "restricted" Pod Security Standard
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");

        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");

        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_VLLM_IMAGE")).isEqualTo("vllm/vllm-openai:v0.11.0");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_IMAGE"))
                .isEqualTo("ghcr.io/switchboard-dev/switchboard-router:0.1.0");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_GPU_RESOURCE"))
                .as("the GPU resource is per expert (spec.resources.gpuResource), not an operator default").isNull();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_STARTUP_PROBE_BUDGET")).isEqualTo("30m");
        // routers require API keys unless the admin opens them
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_AUTH_MODE")).isEqualTo("apiKeys");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_API_KEYS_SECRET"))
                .isEqualTo("switchboard-router-api-keys");
        // router tracing is off until an OTLP endpoint is given
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_TRACING_ENDPOINT")).isEmpty();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_TRACING_PROTOCOL")).isEqualTo("grpc");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_TRACING_SAMPLE_RATIO")).isEqualTo("1");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_EXTERNAL_PROBE_INTERVAL")).isEqualTo("30s");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_SERVICE_MONITORS")).isEqualTo("auto");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_EXTERNAL_PROBE_TIMEOUT")).isEqualTo("5s");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_IMAGE_PULL_POLICY")).isEqualTo("IfNotPresent");
        assertThat(Manifests.env(deployment, "QUARKUS_OPERATOR_SDK_NAMESPACES")).as("unset = all namespaces").isNull();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_LEASE_NAME")).isEqualTo("switchboard-leader");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_LEASE_NAMESPACE")).isEqualTo("<valueFrom>");

        assertThat(JSON.readTree(EXPECTED_RULES)).isEqualTo(m.get("ClusterRole", "switchboard").path("rules"));
        assertThat(m.get("ClusterRoleBinding", "switchboard").at("/subjects/0/namespace").asText())
                .isEqualTo("switchboard-system");
        JsonNode lease = m.get("Role", "switchboard-leader-election");
        assertThat(lease.at("/metadata/namespace").asText()).isEqualTo("switchboard-system");
        assertThat(lease.at("/rules").toString()).isEqualTo("[{\"apiGroups\":[\"coordination.k8s.io\"],"
                + "\"resources\":[\"leases\"],\"verbs\":[\"get\",\"create\",\"update\",\"patch\"]}]");

        JsonNode service = m.get("Service", "switchboard-metrics");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void monitoringOnAddsServiceMonitorPrometheusRuleAndDashboard() throws Exception {
        Manifests m = render("metrics.serviceMonitor.enabled=true", "metrics.prometheusRule.enabled=true",
                "metrics.grafanaDashboard.enabled=true", "metrics.prometheusRule.labels.release=kps",
                "metrics.routerServiceMonitor.enabled=true");

        JsonNode routers = m.get("ServiceMonitor", "switchboard-routers");
        assertThat(routers.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText())
                .isEqualTo("switchboard-router");
        assertThat(routers.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
        assertThat(routers.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        // routers serve metrics on their management port only
        assertThat(routers.at("/spec/endpoints/0/port").asText()).isEqualTo("management");

        JsonNode monitor = m.get("ServiceMonitor", "switchboard");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        // The expert gauges' own `namespace` label (the ExpertModel's, which the expert alerts group by) comes
        // back from `exported_namespace`; other operator metrics keep the target's namespace.
        JsonNode relabel = monitor.at("/spec/endpoints/0/metricRelabelings");
        assertThat(relabel.at("/0/sourceLabels").toString()).isEqualTo("[\"__name__\",\"exported_namespace\"]");
        assertThat(relabel.at("/0/regex").asText()).isEqualTo("switchboard_expert_(ready|unschedulable);(.+)");
        assertThat(relabel.at("/0/targetLabel").asText()).isEqualTo("namespace");
        assertThat(relabel.at("/0/replacement").asText()).isEqualTo("$2");
        assertThat(relabel.at("/1/targetLabel").asText()).isEqualTo("exported_namespace");
        assertThat(relabel.at("/1/replacement").asText()).isEmpty();

        JsonNode rule = m.get("PrometheusRule", "switchboard");
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kps");
        // exactly the groups of the promtool-tested source file
        JsonNode source = new ObjectMapper(new YAMLFactory())
                .readTree(Tools.projectRoot().resolve("helm/switchboard/files/prometheus-rules.yaml").toFile());
        assertThat(rule.at("/spec/groups")).isEqualTo(source.path("groups"));
        assertThat(alertNames(rule.at("/spec/groups"))).contains("SwitchboardExpertNotReady",
                "SwitchboardExpertUnschedulable", "SwitchboardRouterFallbackRateHigh",
                "SwitchboardUpstreamErrorRateHigh", "SwitchboardRoutingLatencyHigh", "SwitchboardVllmQueueDepthHigh",
                "SwitchboardKvCacheNearSaturation", "SwitchboardOperatorReconcileErrors");

        JsonNode dashboard = m.get("ConfigMap", "switchboard-dashboard");
        assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        JsonNode json = JSON.readTree(dashboard.at("/data/switchboard.json").asText());
        assertThat(json.path("uid").asText()).isEqualTo("switchboard");
        assertThat(json.path("panels").size()).isGreaterThan(5);
    }

    @Test
    void monitoringObjectsAreAbsentByDefault() {
        Manifests m = render();
        assertThat(m.ofKind("PrometheusRule")).isEmpty();
        assertThat(m.ofKind("ServiceMonitor")).isEmpty();
        assertThat(m.ofKind("ConfigMap")).isEmpty();
        assertThat(render("watchNamespaces={a,b}", "metrics.routerServiceMonitor.enabled=true")
                .get("ServiceMonitor", "switchboard-routers").at("/spec/namespaceSelector/matchNames").toString())
                .as("routers scraped only in watched namespaces").isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void namespacedWatchPullSecretsAndCustomImages() {
        Manifests m = render("watchNamespaces={team-a,team-b}", "imagePullSecrets[0]=regcred",
                "imagePullSecrets[1].name=mirror", "image.repository=registry.local/sb/operator", "image.tag=1.2.3",
                "defaults.vllmImage=registry.local/vllm:v0.10.2", "defaults.routerImage=registry.local/sb/router:1.2.3",
                "defaults.startupProbeBudget=1h",
                "nodeSelector.node-role\\.kubernetes\\.io/control-plane=", "replicaCount=2");

        JsonNode deployment = m.get("Deployment", "switchboard");
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(pod.at("/containers/0/image").asText()).isEqualTo("registry.local/sb/operator:1.2.3");
        assertThat(pod.path("imagePullSecrets").toString()).isEqualTo("[{\"name\":\"regcred\"},{\"name\":\"mirror\"}]");
        assertThat(pod.at("/nodeSelector").has("node-role.kubernetes.io/control-plane")).isTrue();
        assertThat(Manifests.env(deployment, "QUARKUS_OPERATOR_SDK_NAMESPACES")).isEqualTo("team-a,team-b");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_VLLM_IMAGE")).isEqualTo("registry.local/vllm:v0.10.2");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_ROUTER_IMAGE"))
                .isEqualTo("registry.local/sb/router:1.2.3");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_STARTUP_PROBE_BUDGET")).isEqualTo("1h");

        // permissions only where the operator watches: nothing is bound cluster-wide
        assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();
        List<String> bindingNamespaces = m.ofKind("RoleBinding").stream()
                .filter(b -> "ClusterRole".equals(b.at("/roleRef/kind").asText()))
                .map(b -> b.at("/metadata/namespace").asText()).toList();
        assertThat(bindingNamespaces).containsExactlyInAnyOrder("team-a", "team-b");
    }

    @Test
    void digestWinsOverTagAndLeaderElectionAndServiceMonitorPermissionsCanBeTurnedOff() {
        Manifests m = render("image.digest=sha256:" + "a".repeat(64), "leaderElection.enabled=false",
                "defaults.serviceMonitors=false");
        JsonNode deployment = m.get("Deployment", "switchboard");
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("ghcr.io/switchboard-dev/switchboard-operator@sha256:" + "a".repeat(64));
        assertThat(m.ofKind("Role")).isEmpty();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_LEASE_NAME")).isNull();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_SERVICE_MONITORS")).isEqualTo("false");
        assertThat(m.get("ClusterRole", "switchboard").path("rules").toString()).doesNotContain("monitoring.coreos.com");
    }

    @Test
    void networkPoliciesLetOnlyTheRoutersAndTheScraperReachExpertPods() {
        assertThat(render().ofKind("NetworkPolicy")).as("off by default").isEmpty();

        Manifests m = render("networkPolicy.enabled=true", "networkPolicy.namespaces={llm,team-b}");
        assertThat(m.ofKind("NetworkPolicy")).extracting(p -> p.at("/metadata/namespace").asText())
                .containsExactly("llm", "team-b");
        JsonNode policy = m.ofKind("NetworkPolicy").get(0);
        assertThat(policy.at("/metadata/name").asText()).isEqualTo("switchboard-experts");
        assertThat(policy.at("/spec/podSelector").toString()).isEqualTo("{\"matchLabels\":{"
                + "\"app.kubernetes.io/managed-by\":\"switchboard-operator\",\"app.kubernetes.io/component\":\"expert\"}}");
        assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");
        JsonNode ingress = policy.at("/spec/ingress");
        assertThat(ingress).hasSize(2);
        assertThat(ingress.get(0).path("from").toString()).isEqualTo("[{\"podSelector\":{\"matchLabels\":{"
                + "\"app.kubernetes.io/managed-by\":\"switchboard-operator\",\"app.kubernetes.io/component\":\"router\"}}}]");
        assertThat(ingress.get(1).path("from").toString()).isEqualTo("[{\"namespaceSelector\":{\"matchLabels\":{"
                + "\"kubernetes.io/metadata.name\":\"monitoring\"}},\"podSelector\":{\"matchLabels\":{"
                + "\"app.kubernetes.io/name\":\"prometheus\"}}}]");
        for (JsonNode rule : ingress) {
            assertThat(rule.path("ports").toString()).isEqualTo("[{\"protocol\":\"TCP\",\"port\":8000}]");
        }

        // watchNamespaces by default; the scraper configurable or left out; extra rules appended
        Manifests custom = render("networkPolicy.enabled=true", "watchNamespaces={team-a}",
                "networkPolicy.metricsScraper.namespaceSelector.matchLabels.team=observability",
                "networkPolicy.metricsScraper.podSelector=null",
                "networkPolicy.extraIngress[0].from[0].podSelector.matchLabels.app=batch");
        JsonNode teamA = custom.get("NetworkPolicy", "switchboard-experts");
        assertThat(teamA.at("/metadata/namespace").asText()).isEqualTo("team-a");
        assertThat(teamA.at("/spec/ingress/1/from/0/namespaceSelector/matchLabels/team").asText())
                .isEqualTo("observability");
        assertThat(teamA.at("/spec/ingress/2/from/0/podSelector/matchLabels/app").asText()).isEqualTo("batch");
        assertThat(render("networkPolicy.enabled=true", "watchNamespaces={team-a}",
                "networkPolicy.metricsScraper.enabled=false").get("NetworkPolicy", "switchboard-experts")
                .at("/spec/ingress")).hasSize(1);

        Command.Result unscoped = Tools.template("switchboard", "switchboard-system", "networkPolicy.enabled=true")
                .run();
        assertThat(unscoped.exitCode()).isNotZero();
        assertThat(unscoped.stderr()).contains("networkPolicy.enabled needs networkPolicy.namespaces (or "
                + "watchNamespaces)");
    }

    @Test
    void expertApiKeysAreOffByDefaultNameTheAdminsSecretAndGiveTheOperatorNoSecretAccess() throws Exception {
        JsonNode off = render().get("Deployment", "switchboard");
        assertThat(Manifests.env(off, "SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_ENABLED")).isEqualTo("false");
        assertThat(Manifests.env(off, "SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_SECRET_NAME"))
                .isEqualTo("switchboard-expert-api-key");

        Manifests on = render("expertApiKeys.enabled=true", "expertApiKeys.secretName=llm-key");
        assertThat(Manifests.env(on.get("Deployment", "switchboard"), "SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_ENABLED"))
                .isEqualTo("true");
        assertThat(Manifests.env(on.get("Deployment", "switchboard"),
                "SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_SECRET_NAME")).isEqualTo("llm-key");
        // The admin creates and grants the key Secret: the operator's rules are the same as without keys.
        assertThat(on.get("ClusterRole", "switchboard").path("rules")).isEqualTo(JSON.readTree(EXPECTED_RULES));
        assertThat(on.get("ClusterRole", "switchboard").path("rules").toString()).doesNotContain("secrets");

        Command.Result invalid = Tools.template("switchboard", "switchboard-system",
                "expertApiKeys.secretName=Not_A_Name").run();
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.stderr()).contains("secretName");
    }

    @Test
    void theTrustPolicyReachesTheOperatorAndTheAdmissionPolicies() {
        Manifests defaults = render();
        JsonNode deployment = defaults.get("Deployment", "switchboard");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_TRUST_TOLERATION_KEYS")).isEqualTo("nvidia.com/gpu");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_TRUST_ENGINE_IMAGES")).isEmpty();
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_TRUST_ALLOW_ENGINE_ENV")).isEqualTo("false");
        assertThat(Manifests.env(deployment, "SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_ALLOWED_CIDRS")).isEmpty();
        JsonNode binding = defaults.get("ValidatingAdmissionPolicyBinding", "switchboard-expertmodels");
        assertThat(binding.at("/spec/validationActions").toString()).isEqualTo("[\"Deny\"]");
        assertThat(binding.at("/spec/matchResources").isMissingNode()).as("all namespaces").isTrue();
        assertThat(defaults.get("ValidatingAdmissionPolicy", "switchboard-expertmodels").at("/spec/failurePolicy")
                .asText()).isEqualTo("Fail");

        Manifests set = render("watchNamespaces={team-a}", "trust.images.engine={registry.example.com/llm/}",
                "trust.endpoints.allowedCIDRs={127.0.0.0/8}", "trust.scheduling.allowAffinity=true");
        JsonNode operator = set.get("Deployment", "switchboard");
        assertThat(Manifests.env(operator, "SWITCHBOARD_OPERATOR_TRUST_ENGINE_IMAGES"))
                .isEqualTo("registry.example.com/llm/");
        assertThat(Manifests.env(operator, "SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_ALLOWED_CIDRS")).isEqualTo("127.0.0.0/8");
        assertThat(Manifests.env(operator, "SWITCHBOARD_OPERATOR_TRUST_ALLOW_AFFINITY")).isEqualTo("true");
        JsonNode policy = set.get("ValidatingAdmissionPolicy", "switchboard-expertmodels");
        assertThat(policy.at("/spec/variables").toString()).contains("[\\\"registry.example.com/llm/\\\"]",
                "[\\\"127.0.0.0/8\\\"]");
        assertThat(set.get("ValidatingAdmissionPolicyBinding", "switchboard-routingpolicies")
                .at("/spec/matchResources/namespaceSelector/matchExpressions/0/values").toString())
                .as("bound where the operator watches").isEqualTo("[\"team-a\"]");

        assertThat(render("trust.admissionPolicy.enabled=false").ofKind("ValidatingAdmissionPolicy")).isEmpty();
        assertThat(Manifests.parse(Command.of(Tools.helm(), "template", "switchboard", Tools.CHART, "--kube-version",
                "1.30.0").ok()).ofKind("ValidatingAdmissionPolicy")).as("CEL ip()/cidr() need 1.31").isEmpty();
    }

    @Test
    void everyValueIsDocumentedInValuesYamlAndTypedInTheSchema() throws Exception {
        JsonNode schema = JSON.readTree(Tools.projectRoot().resolve("helm/switchboard/values.schema.json").toFile());
        JsonNode values = new ObjectMapper(new YAMLFactory())
                .readTree(Tools.projectRoot().resolve("helm/switchboard/values.yaml").toFile());
        List<String> missing = new ArrayList<>();
        values.fieldNames().forEachRemaining(key -> {
            if (!schema.path("properties").has(key)) {
                missing.add(key);
            }
        });
        assertThat(missing).as("values without a schema entry").isEmpty();
        List<String> lines = Files.readAllLines(Tools.projectRoot().resolve("helm/switchboard/values.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            // a top-level key is preceded by a comment or starts a documented block
            if (line.matches("^[a-zA-Z]+:.*") && !line.endsWith(":")) {
                assertThat(lines.get(i - 1)).as("comment above top-level value `%s`", line).startsWith("#");
            }
        }
    }

    static List<String> alertNames(JsonNode groups) {
        List<String> names = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    names.add(rule.path("alert").asText());
                }
            }
        }
        return names;
    }
}
