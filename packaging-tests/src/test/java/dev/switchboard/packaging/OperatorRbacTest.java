package dev.switchboard.packaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's RBAC on a real API server, checked as the operator's ServiceAccount: it can do its job in the
 * watched namespace, nothing outside it, and it can grant each router exactly the Role the operator creates
 * (RBAC escalation prevention would reject the router Role if the operator did not hold those permissions).
 */
class OperatorRbacTest {
    private static final String OPERATOR_NS = "rbac-operator";
    private static final String WATCHED = "rbac-watched";
    private static final String OTHER = "rbac-other";
    private static final String RELEASE = "rbac";
    private static final String SA = "system:serviceaccount:" + OPERATOR_NS + ":rbac-switchboard";

    /** What the operator grants a router (operator RouterRenderer): read the table's sources and its Secrets, patch status. */
    private static final String ROUTER_ROLE = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: coe-router}
            rules:
              - apiGroups: [switchboard.dev]
                resources: [expertmodels, routingpolicies]
                verbs: [get, list, watch]
              - apiGroups: [switchboard.dev]
                resources: [routingpolicies/status]
                resourceNames: [coe]
                verbs: [get, patch]
              - apiGroups: [discovery.k8s.io]
                resources: [endpointslices]
                verbs: [get, list, watch]
              - apiGroups: [""]
                resources: [configmaps]
                verbs: [get, list, watch]
              - apiGroups: [""]
                resources: [secrets]
                resourceNames: [frontier-api-key]
                verbs: [get]
            """;

    @BeforeAll
    static void install() {
        Cluster.switchboardCrds();
        Cluster.namespaces(OPERATOR_NS, WATCHED, OTHER);
        // expertApiKeys on: the operator still holds no Secret permission (the admin creates and grants the key).
        Tools.helmOnCluster("install", RELEASE, Tools.CHART, "--namespace", OPERATOR_NS, "--skip-crds",
                "--set", "watchNamespaces={" + WATCHED + "},expertApiKeys.enabled=true", "--timeout", "40s").ok();
    }

    @AfterAll
    static void uninstall() {
        Tools.helmOnCluster("uninstall", RELEASE, "--namespace", OPERATOR_NS, "--timeout", "40s").run();
    }

    @Test
    void operatorCanManageItsObjectsOnlyInWatchedNamespaces() {
        for (String check : new String[] {"create deployments.apps", "delete services", "create persistentvolumeclaims",
                "create roles.rbac.authorization.k8s.io", "create poddisruptionbudgets.policy",
                "patch expertmodels.switchboard.dev --subresource=status", "watch pods", "create events"}) {
            assertThat(canI(WATCHED, check)).as("can %s in the watched namespace", check).isTrue();
            assertThat(canI(OTHER, check)).as("cannot %s outside the watched namespaces", check).isFalse();
        }
        assertThat(canI(WATCHED, "create pods")).as("pods are the Deployment controller's job").isFalse();
        assertThat(canI(WATCHED, "create secrets")).as("the operator creates no Secret, expert API keys on").isFalse();
        assertThat(canI(WATCHED, "delete expertmodels.switchboard.dev")).isFalse();
        assertThat(canI(OPERATOR_NS, "update leases.coordination.k8s.io")).as("leader election").isTrue();
        assertThat(canI(OPERATOR_NS, "patch leases.coordination.k8s.io")).as("leader election renews with patch").isTrue();
        assertThat(canI(WATCHED, "get secrets")).as("no Secret is readable unless its owner grants it").isFalse();
        assertThat(canI(WATCHED, "list secrets")).isFalse();
        assertThat(canI(WATCHED, "watch secrets")).isFalse();
        assertThat(canI("", "list customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(canI("", "list nodes")).isFalse();
    }

    @Test
    void operatorCanGrantTheRouterRoleButNothingMore() {
        // A Secret no owner granted to Switchboard cannot end up in a router's Role: RBAC refuses it.
        Command.Result notGranted = Tools.kubectlOnCluster("--as", SA, "-n", WATCHED, "create", "--dry-run=server",
                "-f", "-").withStdin(ROUTER_ROLE).run();
        assertThat(notGranted.exitCode()).isNotZero();
        assertThat(notGranted.stderr()).contains("attempting to grant RBAC permissions not currently held")
                .contains("secrets");
        // Its owner grants it (docs/security.md#secrets): now the operator can pass it on to the router.
        Tools.kubectlOnCluster("-n", WATCHED, "create", "role", "switchboard-may-use-frontier-api-key", "--verb=get",
                "--resource=secrets", "--resource-name=frontier-api-key").ok();
        Tools.kubectlOnCluster("-n", WATCHED, "create", "rolebinding", "switchboard-may-use-frontier-api-key",
                "--role=switchboard-may-use-frontier-api-key", "--serviceaccount=" + OPERATOR_NS + ":rbac-switchboard")
                .ok();
        assertThat(canI(WATCHED, "get secrets/frontier-api-key")).isTrue();
        assertThat(canI(WATCHED, "get secrets/db-password")).isFalse();
        String ok = Tools.kubectlOnCluster("--as", SA, "-n", WATCHED, "create", "--dry-run=server", "-f", "-")
                .withStdin(ROUTER_ROLE).ok();
        assertThat(ok).contains("created (server dry run)");

        String escalation = ROUTER_ROLE.replace("metadata: {name: coe-router}", "metadata: {name: too-much}")
                + """
                  - apiGroups: [""]
                    resources: [pods/exec]
                    verbs: [create]
                """;
        Command.Result denied = Tools.kubectlOnCluster("--as", SA, "-n", WATCHED, "create", "--dry-run=server",
                "-f", "-").withStdin(escalation).run();
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("forbidden")
                .contains("attempting to grant RBAC permissions not currently held").contains("pods/exec");
    }

    /**
     * What the operator's ServiceAccount may do (kubectl auth can-i --list, a SelfSubjectRulesReview) is exactly the
     * table in docs/security.md: in a watched namespace the ClusterRole's rules, in its own namespace the Lease
     * rules; nothing else but what every authenticated user may do (system:basic-user, discovery).
     */
    @Test
    void operatorsPermissionsAreTheDocumentedTable() throws Exception {
        java.util.Map<String, java.util.Set<String>> documented = DocumentedPermissions.read(
                Tools.projectRoot().resolve("docs/security.md"));
        assertThat(granted(WATCHED)).isEqualTo(documented.get("watched namespaces"));
        java.util.Set<String> own = granted(OPERATOR_NS);
        assertThat(own).isEqualTo(documented.get("operator namespace"));
        assertThat(granted(OTHER)).isEmpty();
    }

    /** resource.group:verb pairs the ServiceAccount holds in {@code namespace}, without everyone's baseline. */
    private static java.util.Set<String> granted(String namespace) {
        String out = Tools.kubectlOnCluster("auth", "can-i", "--list", "--as", SA, "-n", namespace).ok();
        java.util.Set<String> pairs = new java.util.TreeSet<>();
        for (String line : out.lines().skip(1).toList()) {
            String[] columns = line.trim().split("\\s{2,}");
            if (columns.length < 4 || !columns[1].equals("[]")) {
                continue; // non-resource URLs
            }
            if (!columns[2].equals("[]")) {
                continue; // a Secret its owner granted by name (operatorCanGrantTheRouterRoleButNothingMore)
            }
            String resource = columns[0];
            if (resource.startsWith("selfsubject")) {
                continue; // system:basic-user: every authenticated user may review its own access
            }
            for (String verb : columns[3].replaceAll("[\\[\\]]", "").split(" ")) {
                pairs.add(resource + ":" + verb);
            }
        }
        return pairs;
    }

    private static boolean canI(String namespace, String check) {
        List<Object> argv = new ArrayList<>(List.of("auth", "can-i"));
        argv.addAll(List.of(check.split(" ")));
        argv.addAll(List.of("--as", SA));
        if (!namespace.isEmpty()) {
            argv.addAll(List.of("-n", namespace));
        }
        Command.Result result = Tools.kubectlOnCluster(argv.toArray()).run();
        return result.stdout().trim().equals("yes");
    }
}
