package dev.switchboard.packaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's ValidatingAdmissionPolicies (templates/admission-policy.yaml), rendered by helm template and applied to
 * a real API server, with a user {@code alice} who may only create and change ExpertModels and RoutingPolicies in
 * her namespace and read one Secret of it. Each attack of docs/security.md is refused with the field and the rule
 * named; what she may do is admitted. Two renderings: the chart's defaults (namespace trust-vap) and one with
 * explicit allowances (loopback endpoints with plain http, an image prefix; namespace trust-vap-allow). Admitted
 * objects whose URLs are not loopback are only dry-run.
 */
class TrustAdmissionPolicyTest {
    static final String NS = "trust-vap";
    static final String ALLOW_NS = "trust-vap-allow";
    static final String ALICE = "alice";

    @BeforeAll
    static void install() {
        Cluster.switchboardCrds();
        Cluster.namespaces(NS, ALLOW_NS);
        apply(admissionPolicies("vapdef", "watchNamespaces={" + NS + "}"));
        apply(admissionPolicies("vapallow", "watchNamespaces={" + ALLOW_NS + "}",
                "trust.endpoints.allowedCIDRs={127.0.0.0/8}", "trust.endpoints.plainHttp={127.0.0.0/8}",
                "trust.images.engine={registry.example.com/llm/}"));
        for (String ns : List.of(NS, ALLOW_NS)) {
            apply("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: db-password, namespace: %1$s}
                    stringData: {password: not-for-alice}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: alice-key, namespace: %1$s}
                    stringData: {api-key: alices-own}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: Role
                    metadata: {name: switchboard-author, namespace: %1$s}
                    rules:
                      - apiGroups: [switchboard.dev]
                        resources: [expertmodels, routingpolicies]
                        verbs: [get, list, watch, create, update, patch, delete]
                      - apiGroups: [""]
                        resources: [secrets]
                        resourceNames: [alice-key]
                        verbs: [get]
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: alice-switchboard-author, namespace: %1$s}
                    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: switchboard-author}
                    subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
                    """.formatted(ns));
        }
        // dave may read only his own two policies: his shadow may be one of them, not another team's
        apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: dave-policies, namespace: %1$s}
                rules:
                  - apiGroups: [switchboard.dev]
                    resources: [routingpolicies]
                    verbs: [create]
                  - apiGroups: [switchboard.dev]
                    resources: [routingpolicies]
                    resourceNames: [dave-live, dave-candidate]
                    verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: dave-policies, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dave-policies}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dave}]
                """.formatted(NS));
        // The API server picks policies up asynchronously: wait until a known violation is refused in both namespaces.
        for (String ns : List.of(NS, ALLOW_NS)) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (asAlice(ns, "create", "--dry-run=server",
                    expert("probe-ready", "model: {uri: 'hf://org/m'}\nengine: {image: evil/miner:1}")).exitCode() == 0) {
                assertThat(Instant.now()).as("admission policies in force in " + ns).isBefore(deadline);
                sleep(500);
            }
        }
    }

    @AfterAll
    static void uninstall() {
        for (String release : List.of("vapdef", "vapallow")) {
            for (String kind : List.of("expertmodels", "routingpolicies")) {
                Tools.kubectlOnCluster("delete", "validatingadmissionpolicybinding,validatingadmissionpolicy",
                        release + "-switchboard-" + kind, "--ignore-not-found").run();
            }
        }
    }

    @Test
    void thePoliciesTypeCheckWithoutWarnings() {
        for (String name : List.of("vapdef-switchboard-expertmodels", "vapdef-switchboard-routingpolicies")) {
            String warnings = Tools.kubectlOnCluster("get", "validatingadmissionpolicy", name, "-o",
                    "jsonpath={.status.typeChecking.expressionWarnings}").ok();
            assertThat(warnings).as(name).isEmpty();
        }
    }

    @Test
    void secretTheftThroughTheExternalProbeIsRefused() {
        Command.Result refused = asAlice(NS, "create", "--dry-run=server", expert("steal", """
                external:
                  url: https://llm.example.com/v1
                  apiKeySecretRef: {name: db-password, key: password}
                """));
        assertRefused(refused, "spec.external.apiKeySecretRef: alice may not get Secret db-password",
                "may only name Secrets its author can read");
        assertAdmitted(asAlice(NS, "create", "--dry-run=server", expert("own", """
                external:
                  url: https://llm.example.com/v1
                  apiKeySecretRef: {name: alice-key, key: api-key}
                """)));
    }

    @Test
    void secretTheftAndArbitraryCodeThroughTheRouterAreRefused() {
        assertRefused(asAlice(NS, "create", "--dry-run=server", policy("steal", """
                embedding:
                  endpoint: {url: "https://embed.example.com/v1", model: e5, apiKeySecretRef: {name: db-password, key: password}}
                """)), "spec.embedding.endpoint.apiKeySecretRef: alice may not get Secret db-password");
        assertRefused(asAlice(NS, "create", "--dry-run=server", policy("image", "router: {image: evil/router:1}")),
                "spec.router.image: image evil/router:1", "trust.images.router");
        assertRefused(asAlice(NS, "create", "--dry-run=server", policy("artifact", """
                strategy:
                  type: category
                  learned: {configMapRef: other-team-artifact, key: router.json}
                  category: {routes: [{category: math, experts: [{name: a}]}]}
                """)), "spec.strategy.learned.configMapRef: alice may not get ConfigMap other-team-artifact");
        assertAdmitted(asAlice(NS, "create", "--dry-run=server", policy("own", """
                embedding:
                  endpoint: {url: "https://embed.example.com/v1", model: e5, apiKeySecretRef: {name: alice-key, key: api-key}}
                """)));
    }

    @Test
    void aShadowPolicyTheAuthorCannotReadIsRefused() {
        assertRefused(asUser("dave", NS, "create", "--dry-run=server", policy("dave-live",
                        "shadow: {policy: other-team-candidate}")),
                "spec.shadow.policy: dave may not get RoutingPolicy other-team-candidate in namespace " + NS,
                "may only name as its shadow a policy its author can read");
        assertAdmitted(asUser("dave", NS, "create", "--dry-run=server", policy("dave-live",
                "shadow: {policy: dave-candidate, sampleAnswers: 0.01}")));
    }

    @Test
    void arbitraryPodsAreRefused() {
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("image", "model: {uri: 'hf://org/m'}\nengine: {image: evil/miner:1}")),
                "spec.engine.image: image evil/miner:1", "trust.images.engine");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("env", """
                model: {uri: 'hf://org/m'}
                engine:
                  env: [{name: PW, valueFrom: {secretKeyRef: {name: db-password, key: password}}}]
                """)), "spec.engine.env[0].valueFrom.secretKeyRef (Secret db-password): alice may not get");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("plainenv", """
                model: {uri: 'hf://org/m'}
                engine: {env: [{name: HF_ENDPOINT, value: "https://alice.example.com"}]}
                """)), "spec.engine.env: environment variables may not be set", "trust.engine.allowEnv");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("token", """
                model: {uri: 'hf://org/m', tokenSecretRef: {name: db-password, key: password}}
                """)), "spec.model.tokenSecretRef: alice may not get Secret db-password");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("priority", """
                model: {uri: 'hf://org/m'}
                resources: {priorityClassName: system-cluster-critical}
                """)), "spec.resources.priorityClassName: PriorityClass system-cluster-critical",
                "trust.scheduling.priorityClasses");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("tolerate", """
                model: {uri: 'hf://org/m'}
                resources: {tolerations: [{key: nvidia.com/gpu, operator: Exists}, {operator: Exists}]}
                """)), "spec.resources.tolerations[1]: a toleration without key", "trust.scheduling.tolerationKeys");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("runtime", """
                model: {uri: 'hf://org/m'}
                resources: {runtimeClassName: kata}
                """)), "spec.resources.runtimeClassName: RuntimeClass kata", "trust.scheduling.runtimeClasses");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("affinity", """
                model: {uri: 'hf://org/m'}
                resources: {affinity: {nodeAffinity: {}}}
                """)), "spec.resources.affinity", "trust.scheduling.allowAffinity");
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("remote", """
                model: {uri: 'hf://alice/evil'}
                engine: {args: [--enable-prefix-caching, --trust_remote_code]}
                """)), "spec.engine.args[1]: --trust_remote_code", "trust.engine.allowTrustRemoteCode");
        // What the chart allows: the default image named explicitly, a GPU toleration, a node selector.
        assertAdmitted(asAlice(NS, "create", expert("fine", """
                model: {uri: 'hf://org/m'}
                engine: {image: "vllm/vllm-openai:v0.11.0", args: [--enable-prefix-caching]}
                resources:
                  nodeSelector: {nvidia.com/gpu.product: NVIDIA-L4}
                  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                """)));
        Tools.kubectlOnCluster("delete", "expertmodel", "fine", "-n", NS).ok();
    }

    @Test
    void ssrfTargetsAreRefused() {
        for (String[] c : new String[][] {
                {"http://169.254.169.254/latest/meta-data", "address 169.254.169.254 is a loopback, link-local"},
                {"http://127.0.0.1:8080/v1", "address 127.0.0.1 is a loopback, link-local"},
                {"http://[::1]:8080/v1", "address ::1 is a loopback, link-local"},
                {"https://kubernetes.default.svc/api", "host kubernetes.default.svc is the cluster API server"},
                {"https://kubernetes.default.svc.cluster.local/api", "is the cluster API server"},
                {"https://localhost:6443/", "host localhost is a local or cloud metadata name"},
                {"http://metadata.google.internal/computeMetadata/v1", "local or cloud metadata name"},
                {"http://100.100.100.200/latest", "is reserved, a cloud metadata address"},
                {"http://[::ffff:169.254.169.254]/", "is neither a DNS name nor an IP address"},
                {"http://2852039166/", "host 2852039166 is neither a DNS name nor an IP address"},
                {"http://127.1/", "host 127.1 is neither a DNS name nor an IP address"},
                {"https://user@llm.example.com/v1", "has user info"}}) {
            String name = "ssrf-" + Integer.toHexString(c[0].hashCode());
            assertRefused(asAlice(NS, "create", "--dry-run=server", expert(name, "external: {url: '" + c[0] + "'}")),
                    "spec.external.url: " + c[0], c[1]);
            assertRefused(asAlice(NS, "create", "--dry-run=server", policy(name, "embedding: {endpoint: {url: '"
                    + c[0] + "', model: e5}}")), "spec.embedding.endpoint.url: " + c[0], c[1]);
        }
        assertRefused(asAlice(NS, "create", "--dry-run=server", expert("cleartext", """
                external: {url: "http://llm.example.com/v1", apiKeySecretRef: {name: alice-key, key: api-key}}
                """)), "spec.external.url: an API key is sent only over https", "trust.endpoints.plainHttp");
        assertAdmitted(asAlice(NS, "create", "--dry-run=server", expert("public",
                "external: {url: 'http://llm.example.com/v1'}")));
    }

    @Test
    void changingAResourceIsCheckedAsTheChangersRequest() {
        // bob (the admin here) created an expert with a Secret alice cannot read; she may label it but not change it.
        apply(expert("bobs", "model: {uri: 'hf://org/m', tokenSecretRef: {name: db-password, key: password}}"));
        assertAdmitted(asAlice(NS, "label", "expertmodel", "bobs", "team=b"));
        assertRefused(asAlice(NS, "patch", "expertmodel", "bobs", "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}"),
                "spec.model.tokenSecretRef: alice may not get Secret db-password");
        Tools.kubectlOnCluster("delete", "expertmodel", "bobs", "-n", NS).ok();
    }

    @Test
    void explicitAllowancesAdmitLoopbackEndpointsAndListedImages() {
        assertAdmitted(asAlice(ALLOW_NS, "create", expert("loopback", """
                external: {url: "http://127.0.0.1:9/v1", apiKeySecretRef: {name: alice-key, key: api-key}}
                """)));
        assertAdmitted(asAlice(ALLOW_NS, "create", expert("listed", """
                model: {uri: 'hf://org/m'}
                engine: {image: "registry.example.com/llm/vllm:0.11"}
                """)));
        assertRefused(asAlice(ALLOW_NS, "create", "--dry-run=server", expert("link-local", "external: {url: 'http://169.254.169.254/'}")),
                "address 169.254.169.254 is not in trust.endpoints.allowedCIDRs");
        assertRefused(asAlice(ALLOW_NS, "create", "--dry-run=server", expert("unlisted", """
                model: {uri: 'hf://org/m'}
                engine: {image: "registry.example.com/other/vllm:0.11"}
                """)), "spec.engine.image");
        Tools.kubectlOnCluster("delete", "expertmodel", "loopback", "listed", "-n", ALLOW_NS).ok();
    }

    /** The chart's admission policies and bindings, as helm template renders them with {@code sets}. */
    static String admissionPolicies(String release, String... sets) {
        List<Object> argv = new java.util.ArrayList<>(List.of(Tools.helm(), "template", release, Tools.CHART,
                "--namespace", "switchboard-system", "--kube-version", Tools.KUBE_VERSION,
                "--show-only", "templates/admission-policy.yaml"));
        for (String set : sets) {
            argv.add("--set");
            argv.add(set);
        }
        String rendered = Command.of(argv.toArray()).ok();
        assertThat(Manifests.parse(rendered).kinds()).containsExactlyInAnyOrder("ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        return rendered;
    }

    static String expert(String name, String spec) {
        return "apiVersion: switchboard.dev/v1alpha1\nkind: ExpertModel\nmetadata: {name: " + name + ", namespace: "
                + NS + "}\nspec:\n" + spec.indent(2);
    }

    static String policy(String name, String extra) {
        String spec = extra.contains("strategy:") ? extra : "strategy: {type: static, static: {experts: [{name: a}]}}\n"
                + extra;
        return "apiVersion: switchboard.dev/v1alpha1\nkind: RoutingPolicy\nmetadata: {name: " + name
                + ", namespace: " + NS + "}\nspec:\n  experts: {names: [a]}\n" + spec.indent(2);
    }

    static Command.Result asAlice(String namespace, Object... args) {
        return asUser(ALICE, namespace, args);
    }

    static Command.Result asUser(String user, String namespace, Object... args) {
        List<Object> argv = new java.util.ArrayList<>(List.of("--as", user, "-n", namespace));
        String stdin = null;
        for (Object a : args) {
            if (a instanceof String s && s.startsWith("apiVersion:")) {
                stdin = s.replace("namespace: " + NS, "namespace: " + namespace);
                argv.addAll(List.of("-f", "-"));
            } else {
                argv.add(a);
            }
        }
        Command command = Tools.kubectlOnCluster(argv.toArray());
        return stdin == null ? command.run() : command.withStdin(stdin).run();
    }

    static void assertRefused(Command.Result result, String... messageParts) {
        assertThat(result.exitCode()).as("refused: " + result.all()).isNotZero();
        assertThat(result.stderr()).contains("denied request").contains(messageParts);
    }

    static void assertAdmitted(Command.Result result) {
        assertThat(result.exitCode()).as("admitted: " + result.all()).isZero();
    }

    static void apply(String yaml) {
        Tools.kubectlOnCluster("apply", "--server-side", "--force-conflicts", "--field-manager=packaging-tests",
                "-f", "-").withStdin(yaml).ok();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
