package dev.switchboard.operator.it;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.SwitchboardStatus;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks of docs/security.md with admission switched off (no ValidatingAdmissionPolicy binding: the operator's
 * re-checks are all that stands): the operator runs under its ServiceAccount with
 * operator/src/main/kubernetes/clusterrole.yaml, and {@code alice} may only create and change ExpertModels and
 * RoutingPolicies in the namespace and read the Secret {@code alice-key}. Nothing she creates makes a loopback
 * listener receive a credential, a Role grant a Secret she cannot read, or a Deployment run a disallowed image,
 * priority class or toleration; each refusal is in the resource's status, naming the field and the rule.
 */
class TrustBoundaryTest {
    static final String NS = "trust-it";
    static final String OPERATOR_SA = "switchboard-operator";
    static KubernetesClient admin;
    static KubernetesClient alice;
    static InProcessOperator operator;
    static HttpServer listener;
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        admin = KubeApiServer.shared().client();
        InProcessOperator.installCrds(admin);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(admin, NS);
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(OPERATOR_SA).endMetadata().build()).serverSideApply();
        try (InputStream in = Files.newInputStream(
                ProjectPaths.root().resolve("operator/src/main/kubernetes/clusterrole.yaml"))) {
            admin.resource(Serialization.unmarshal(in, ClusterRole.class)).forceConflicts().serverSideApply();
        }
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("switchboard-operator-" + NS)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("switchboard-operator").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName(OPERATOR_SA).withNamespace(NS).endSubject().build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace(NS).withName(OPERATOR_SA)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                KubeApiServer.shared().config()).withOauthToken(token).withNamespace(NS).build()).build();

        for (String secret : List.of("db-password", "other-secret", "alice-key")) {
            admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(secret)
                    .endMetadata().addToStringData("key", "value-of-" + secret).build()).serverSideApply();
        }
        // alice-key's owner grants it to Switchboard; db-password and other-secret are nobody's to give away.
        grantToOperator(admin, NS, "alice-key", OPERATOR_SA, NS);
        admin.resource(new RoleBuilder().withNewMetadata().withName("switchboard-author").withNamespace(NS)
                .endMetadata()
                .addNewRule().withApiGroups("switchboard.dev").withResources("expertmodels", "routingpolicies")
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .addNewRule().withApiGroups("").withResources("secrets").withResourceNames("alice-key")
                .withVerbs("get").endRule().build()).serverSideApply();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName("alice-switchboard-author")
                .withNamespace(NS).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role").withName("switchboard-author").endRoleRef().addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice").endSubject().build())
                .serverSideApply();
        alice = new KubernetesClientBuilder().withConfig(new ConfigBuilder(KubeApiServer.shared().config())
                .withImpersonateUsername("alice").withNamespace(NS).build()).build();

        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().startsWith("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + listener.getAddress().getPort()
                        + "/elsewhere/v1/models");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        listener.start();

        OperatorConfig config = OperatorConfig.defaults().withTrust(TestResources.loopbackTrust())
                .withExternalProbeInterval(Duration.ofMillis(500));
        operator = InProcessOperator.start(operatorClient, config, NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (listener != null) {
            listener.stop(0);
        }
    }

    /** A Secret's owner grants it to Switchboard: get on it, by name, for the operator's ServiceAccount. */
    static void grantToOperator(KubernetesClient owner, String namespace, String secret, String serviceAccount,
                                String serviceAccountNamespace) {
        String name = "switchboard-may-use-" + secret;
        owner.resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("secrets").withResourceNames(secret).withVerbs("get")
                .endRule().build()).serverSideApply();
        owner.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                .withName(name).endRoleRef().addNewSubject().withKind("ServiceAccount").withName(serviceAccount)
                .withNamespace(serviceAccountNamespace).endSubject().build()).serverSideApply();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theExternalProbeNeverSendsACredential() {
        String url = "http://127.0.0.1:" + listener.getAddress().getPort();
        alice.resource(expert("steal", "external: {url: '" + url + "/steal/v1', apiKeySecretRef: {name: db-password, "
                + "key: key}}")).create();
        alice.resource(expert("own", "external: {url: '" + url + "/own/v1', apiKeySecretRef: {name: alice-key, "
                + "key: key}}")).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertRefused(em("steal"), "SecretNotGranted", "spec.external.apiKeySecretRef: Secret db-password is not "
                    + "granted to Switchboard");
            assertThat(em("own").getStatus()).isNotNull();
            assertThat(em("own").getStatus().isTrue("Ready")).isTrue();
        });
        // A refused expert is not probed at all; the granted one is, and the probe carries no credential.
        assertThat(received).noneMatch(r -> r.contains("/steal/"));
        assertThat(received).filteredOn(r -> r.contains("/own/")).isNotEmpty()
                .allMatch(r -> r.endsWith("authorization=null"));
        alice.resource(em("steal")).delete();
        alice.resource(em("own")).delete();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theProbeFollowsNoRedirectAndCallsNoForbiddenAddress() {
        int port = listener.getAddress().getPort();
        int apiPort = URI.create(KubeApiServer.shared().url()).getPort();
        alice.resource(expert("moved", "external: {url: 'http://127.0.0.1:" + port + "/redirect/v1', "
                + "apiKeySecretRef: {name: alice-key, key: key}}")).create();
        alice.resource(expert("apiserver", "external: {url: 'https://127.0.0.1:" + apiPort + "/api'}")).create();
        alice.resource(expert("metadata", "external: {url: 'http://169.254.169.254/latest/meta-data'}")).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(reason(em("moved"), "Degraded")).isEqualTo("EndpointError");
            assertThat(message(em("moved"), "Degraded")).contains("answered HTTP 302", "redirects are not followed");
            assertThat(reason(em("apiserver"), "Degraded")).isEqualTo("EndpointNotAllowed");
            assertThat(message(em("apiserver"), "Degraded")).contains("is the cluster's API server");
            assertRefused(em("metadata"), "EndpointNotAllowed", "spec.external.url: address 169.254.169.254 is not "
                    + "in trust.endpoints.allowedCIDRs");
        });
        assertThat(received).noneMatch(r -> r.contains("/elsewhere/"));
        for (String name : List.of("moved", "apiserver", "metadata")) {
            alice.resource(em(name)).delete();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theRouterGetsNoSecretItsAuthorCannotReadAndRunsNoForeignImage() {
        String url = "http://127.0.0.1:" + listener.getAddress().getPort() + "/v1";
        alice.resource(expert("ext-steal", "external: {url: '" + url + "', apiKeySecretRef: {name: db-password, "
                + "key: key}}")).create();
        alice.resource(expert("ext-own", "external: {url: '" + url + "', apiKeySecretRef: {name: alice-key, "
                + "key: key}}")).create();
        alice.resource(policy("steal", "embedding: {endpoint: {url: '" + url + "', model: e5, apiKeySecretRef: "
                + "{name: other-secret, key: key}}}")).create();
        alice.resource(policy("image", "router: {image: 'evil.example.com/router:1'}")).create();
        alice.resource(policy("mixed", "")).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertRefused(rp("steal"), "SecretNotGranted", "spec.embedding.endpoint.apiKeySecretRef: Secret "
                    + "other-secret is not granted to Switchboard");
            assertRefused(rp("image"), "ImageNotAllowed", "spec.router.image: image evil.example.com/router:1 is "
                    + "neither the default");
            Role mixed = admin.rbac().roles().inNamespace(NS).withName("mixed-router").get();
            assertThat(mixed).isNotNull();
            assertThat(secretsGranted(mixed)).containsExactly("alice-key");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("mixed-router").get()).isNotNull();
        });
        assertThat(admin.apps().deployments().inNamespace(NS).withName("steal-router").get()).isNull();
        assertThat(admin.apps().deployments().inNamespace(NS).withName("image-router").get()).isNull();
        assertThat(admin.rbac().roles().inNamespace(NS).withName("steal-router").get()).isNull();
        assertEveryRoleGrantsOnlySecretsAliceCanRead();

        // Changing an accepted policy into a refused one stops its router: it would read the new spec live.
        // A merge patch without resourceVersion, as kubectl patch sends it: an edit (read, then write that version)
        // can lose the race with the operator's status patches and fail with 409.
        alice.resources(RoutingPolicy.class).inNamespace(NS).withName("mixed").patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"router\":{\"image\":\"evil.example.com/router:1\"}}}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertRefused(rp("mixed"), "ImageNotAllowed", "spec.router.image");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("mixed-router").get()).isNull();
        });
        assertEveryDeploymentIsAllowed();
        for (String name : List.of("steal", "image", "mixed")) {
            alice.resource(rp(name)).delete();
        }
        alice.resource(em("ext-steal")).delete();
        alice.resource(em("ext-own")).delete();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noDeploymentRunsWhatItsAuthorMayNotRun() {
        alice.resource(expert("miner", """
                model: {uri: "hf://org/model"}
                engine:
                  image: evil.example.com/miner:1
                  env: [{name: PW, valueFrom: {secretKeyRef: {name: db-password, key: key}}}]
                resources:
                  priorityClassName: system-cluster-critical
                  tolerations: [{operator: Exists}]
                """)).create();
        alice.resource(expert("remote", """
                model: {uri: "hf://alice/evil", tokenSecretRef: {name: other-secret, key: key}}
                engine: {args: [--trust-remote-code]}
                """)).create();
        alice.resource(expert("fine", """
                model: {uri: "hf://org/model", tokenSecretRef: {name: alice-key, key: key}}
                resources: {tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]}
                """)).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertRefused(em("miner"), "ImageNotAllowed", "spec.engine.image: image evil.example.com/miner:1",
                    "spec.engine.env: environment variables may not be set",
                    "spec.engine.env[0].valueFrom.secretKeyRef: Secret db-password is not granted",
                    "spec.resources.priorityClassName: PriorityClass system-cluster-critical is not in "
                            + "trust.scheduling.priorityClasses",
                    "spec.resources.tolerations[0]: a toleration without key");
            assertRefused(em("remote"), "RemoteCodeNotAllowed", "spec.engine.args[0]: '--trust-remote-code'",
                    "spec.model.tokenSecretRef: Secret other-secret is not granted");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("fine").get()).isNotNull();
        });
        assertThat(admin.apps().deployments().inNamespace(NS).withName("miner").get()).isNull();
        assertThat(admin.apps().deployments().inNamespace(NS).withName("remote").get()).isNull();
        assertEveryDeploymentIsAllowed();

        // alice turns her accepted expert into a refused one: its Deployment keeps the last allowed spec.
        alice.resources(ExpertModel.class).inNamespace(NS).withName("fine").patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"engine\":{\"image\":\"evil.example.com/miner:1\"}}}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertRefused(em("fine"), "ImageNotAllowed", "spec.engine.image"));
        assertEveryDeploymentIsAllowed();
        for (String name : List.of("miner", "remote", "fine")) {
            alice.resource(em(name)).delete();
        }
    }

    /** Every Secret any Role of the namespace grants by name is one alice may read herself. */
    static void assertEveryRoleGrantsOnlySecretsAliceCanRead() {
        for (Role role : admin.rbac().roles().inNamespace(NS).list().getItems()) {
            if (role.getMetadata().getName().startsWith("switchboard-may-use-")
                    || role.getMetadata().getName().equals("switchboard-author")) {
                continue; // the owners' grants and alice's own role, made by the admin
            }
            for (String secret : secretsGranted(role)) {
                SubjectAccessReview review = admin.resource(new SubjectAccessReviewBuilder().withNewSpec()
                        .withUser("alice").withNewResourceAttributes().withNamespace(NS).withVerb("get")
                        .withResource("secrets").withName(secret).endResourceAttributes().endSpec().build()).create();
                assertThat(review.getStatus().getAllowed()).as("Role %s grants Secret %s, which alice cannot read",
                        role.getMetadata().getName(), secret).isTrue();
            }
        }
    }

    /** Every Deployment of the namespace runs a default image, no priority class, no toleration of every taint. */
    static void assertEveryDeploymentIsAllowed() {
        for (Deployment d : admin.apps().deployments().inNamespace(NS).list().getItems()) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getContainers()).allSatisfy(c -> assertThat(c.getImage())
                    .isIn(OperatorConfig.DEFAULT_VLLM_IMAGE, OperatorConfig.DEFAULT_ROUTER_IMAGE));
            assertThat(pod.getPriorityClassName()).as(d.getMetadata().getName()).isNull();
            assertThat(Optional.ofNullable(pod.getTolerations()).orElse(List.of()))
                    .allSatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
            assertThat(pod.getContainers()).allSatisfy(c -> assertThat(Optional.ofNullable(c.getEnv())
                    .orElse(List.of())).allSatisfy(env -> assertThat(env.getValueFrom() == null
                    || env.getValueFrom().getSecretKeyRef() == null
                    || env.getValueFrom().getSecretKeyRef().getName().equals("alice-key")).isTrue()));
        }
    }

    static List<String> secretsGranted(Role role) {
        return role.getRules().stream().filter(r -> r.getResources().contains("secrets"))
                .map(PolicyRule::getResourceNames).flatMap(List::stream).toList();
    }

    static void assertRefused(HasMetadata resource, String reason, String... messageParts) {
        assertThat(resource).isNotNull();
        assertThat(reason(resource, "Ready")).isEqualTo(reason);
        assertThat(reason(resource, "Degraded")).isEqualTo(reason);
        assertThat(message(resource, "Degraded")).contains(messageParts);
        SwitchboardStatus status = status(resource);
        assertThat(status.observedGeneration).isEqualTo(resource.getMetadata().getGeneration());
    }

    static SwitchboardStatus status(HasMetadata resource) {
        return resource instanceof ExpertModel e ? e.getStatus() : ((RoutingPolicy) resource).getStatus();
    }

    static String reason(HasMetadata resource, String type) {
        SwitchboardStatus status = status(resource);
        return status == null ? null : status.condition(type).map(c -> c.getReason()).orElse(null);
    }

    static String message(HasMetadata resource, String type) {
        SwitchboardStatus status = status(resource);
        return status == null ? null : status.condition(type).map(c -> c.getMessage()).orElse(null);
    }

    static ExpertModel em(String name) {
        return admin.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    static RoutingPolicy rp(String name) {
        return admin.resources(RoutingPolicy.class).inNamespace(NS).withName(name).get();
    }

    static ExpertModel expert(String name, String spec) {
        return Serialization.unmarshal("apiVersion: switchboard.dev/v1alpha1\nkind: ExpertModel\nmetadata: {name: "
                + name + ", namespace: " + NS + "}\nspec:\n" + spec.indent(2), ExpertModel.class);
    }

    /** A static policy over the experts ext-steal and ext-own, plus {@code extra} spec fields. */
    static RoutingPolicy policy(String name, String extra) {
        return Serialization.unmarshal("apiVersion: switchboard.dev/v1alpha1\nkind: RoutingPolicy\nmetadata: {name: "
                + name + ", namespace: " + NS + "}\nspec:\n  experts: {names: [ext-steal, ext-own]}\n"
                + "  strategy: {type: static, static: {experts: [{name: ext-steal}, {name: ext-own}]}}\n"
                + extra.indent(2), RoutingPolicy.class);
    }
}
