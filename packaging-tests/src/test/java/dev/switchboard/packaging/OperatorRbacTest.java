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
                verbs: [get, watch]
            """;

    @BeforeAll
    static void install() {
        Cluster.switchboardCrds();
        Cluster.namespaces(OPERATOR_NS, WATCHED, OTHER);
        Tools.helmOnCluster("install", RELEASE, Tools.CHART, "--namespace", OPERATOR_NS, "--skip-crds",
                "--set", "watchNamespaces={" + WATCHED + "}", "--timeout", "40s").ok();
    }

    @AfterAll
    static void uninstall() {
        Tools.helmOnCluster("uninstall", RELEASE, "--namespace", OPERATOR_NS, "--timeout", "40s").run();
    }

    @Test
    void operatorCanManageItsObjectsOnlyInWatchedNamespaces() {
        for (String check : new String[] {"create deployments.apps", "delete services", "create persistentvolumeclaims",
                "create roles.rbac.authorization.k8s.io", "create poddisruptionbudgets.policy", "get secrets",
                "patch expertmodels.switchboard.dev --subresource=status", "watch pods", "create events"}) {
            assertThat(canI(WATCHED, check)).as("can %s in the watched namespace", check).isTrue();
            assertThat(canI(OTHER, check)).as("cannot %s outside the watched namespaces", check).isFalse();
        }
        assertThat(canI(WATCHED, "create pods")).as("pods are the Deployment controller's job").isFalse();
        assertThat(canI(WATCHED, "create secrets")).as("secrets are read-only").isFalse();
        assertThat(canI(WATCHED, "delete expertmodels.switchboard.dev")).isFalse();
        assertThat(canI(OPERATOR_NS, "update leases.coordination.k8s.io")).as("leader election").isTrue();
        assertThat(canI(OPERATOR_NS, "patch leases.coordination.k8s.io")).as("leader election renews with patch").isTrue();
        assertThat(canI(WATCHED, "list secrets")).as("secrets: get/watch by name only").isFalse();
        assertThat(canI("", "list customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(canI("", "list nodes")).isFalse();
    }

    @Test
    void operatorCanGrantTheRouterRoleButNothingMore() {
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
