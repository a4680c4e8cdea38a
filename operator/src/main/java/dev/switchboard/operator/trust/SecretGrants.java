package dev.switchboard.operator.trust;

import dev.switchboard.api.rules.Reference;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * Which Secrets their owners granted to Switchboard. A Secret is granted when whoever may grant it (RBAC only lets a
 * subject grant what it holds) gives the operator's ServiceAccount {@code get} on it by name, in its namespace; the
 * operator asks the API server with a SelfSubjectAccessReview and never reads the Secret itself. Only granted Secrets
 * are mounted into expert pods or listed in a router's Role (which RBAC would refuse anyway for a Secret the operator
 * does not hold). docs/security.md#secrets.
 */
public final class SecretGrants {
    private final KubernetesClient client;

    public SecretGrants(KubernetesClient client) {
        this.client = client;
    }

    /** Whether the operator may get Secret {@code name} in {@code namespace}. False when the review fails. */
    public boolean granted(String namespace, String name) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withNamespace(namespace).withVerb("get").withResource("secrets").withName(name)
                .endResourceAttributes().endSpec().build();
        try {
            SelfSubjectAccessReview answer = client.resource(review).create();
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** A violation for each Secret reference in {@code references} that is not granted. */
    public List<Violation> ungranted(String namespace, List<Reference> references) {
        List<Violation> violations = new ArrayList<>();
        for (Reference ref : references) {
            if (ref.kind() == Reference.Kind.SECRET && !granted(namespace, ref.name())) {
                violations.add(notGranted(namespace, ref));
            }
        }
        return violations;
    }

    public static Violation notGranted(String namespace, Reference ref) {
        return new Violation(ref.field(), Violation.SECRET_NOT_GRANTED, "Secret " + ref.name()
                + " is not granted to Switchboard: its owner grants it with a Role allowing get on it by name in "
                + namespace + ", bound to the operator's ServiceAccount (docs/security.md#secrets)");
    }
}
