package dev.switchboard.operator.status;

import dev.switchboard.api.rules.Problem;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed reconcile means for status: a spec problem waits for a change, anything else is retried. */
class FailureTest {
    static KubernetesClientException api(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void anObjectTheApiServerRefusesIsASpecProblemAndNotRetried() {
        Failure refused = Failure.of(api(422, "Service \"math.v2\" is invalid: metadata.name: Invalid value"),
                Reasons.INVALID_SPEC);
        assertThat(refused.reason()).isEqualTo("InvalidSpec");
        assertThat(refused.retrying()).isFalse();
        assertThat(refused.message()).isEqualTo("the API server refused an object made from the spec: Service "
                + "\"math.v2\" is invalid: metadata.name: Invalid value");
        Failure duplicateKey = Failure.of(new RuntimeException(api(500, "failed to create typed patch object "
                + "(ns/math; apps/v1, Kind=Deployment): .spec.template.spec.containers[name=\"vllm\"].env: duplicate "
                + "entries for key [name=\"A\"]")), Reasons.INVALID_POLICY);
        assertThat(duplicateKey.reason()).isEqualTo("InvalidPolicy");
        assertThat(duplicateKey.retrying()).isFalse();
        assertThat(Failure.of(new IllegalArgumentException("spec.model.uri: unknown scheme"), Reasons.INVALID_SPEC))
                .isEqualTo(new Failure("InvalidSpec", "spec.model.uri: unknown scheme", false));
    }

    @Test
    void anyOtherFailureIsRetried() {
        Failure quota = Failure.of(api(403, "deployments.apps \"m\" is forbidden: exceeded quota"),
                Reasons.INVALID_SPEC);
        assertThat(quota).isEqualTo(new Failure("ApplyFailed", "HTTP 403: deployments.apps \"m\" is forbidden: "
                + "exceeded quota (the operator retries with backoff)", true));
        assertThat(Failure.of(api(500, "etcdserver: request timed out"), Reasons.INVALID_SPEC).retrying()).isTrue();
        assertThat(Failure.of(new IllegalStateException("boom"), Reasons.INVALID_SPEC).reason())
                .isEqualTo("ApplyFailed");
    }

    @Test
    void problemsFoundBeforehandAreJoinedInOneMessage() {
        assertThat(Failure.invalid(Reasons.INVALID_POLICY, List.of(new Problem("metadata.name", "too long"),
                new Problem("spec.timeouts.connect", "not positive"))))
                .isEqualTo(new Failure("InvalidPolicy", "metadata.name: too long; spec.timeouts.connect: not positive",
                        false));
    }
}
