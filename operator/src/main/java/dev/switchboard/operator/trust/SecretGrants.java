package dev.switchboard.operator.trust;

import dev.switchboard.api.rules.Reference;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which Secrets their owners granted to Switchboard. A Secret is granted when whoever may grant it (RBAC only lets a
 * subject grant what it holds) gives the operator's ServiceAccount {@code get} on it by name, in its namespace; the
 * operator asks the API server with a SelfSubjectAccessReview and never reads the Secret itself. Only granted Secrets
 * are mounted into expert pods or listed in a router's Role (which RBAC would refuse anyway for a Secret the operator
 * does not hold). docs/security.md#secrets.
 */
public final class SecretGrants {
    /** Asks the API server for a Secret's metadata only: no data (or stringData) is ever sent. */
    static final String METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    /** What the operator can tell about a Secret it must rely on without reading it. */
    public enum Availability {
        /** Granted to the operator, and it exists. */
        USABLE,
        /** Not granted (whether it exists is not disclosed to the operator). */
        NOT_GRANTED,
        /** Granted, but there is no such Secret. */
        MISSING
    }

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

    /**
     * Whether Secret {@code name} in {@code namespace} is granted and exists, for a Secret the operator itself
     * depends on (the expert API key): a GET of its metadata only ({@code PartialObjectMetadata}: name, labels,
     * owners; never data), which the grant allows. 403 means not granted, 404 granted but missing. Any other answer
     * is a KubernetesClientException (the reconcile fails and is retried).
     */
    public Availability availability(String namespace, String name) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", namespace, "secrets",
                        name))
                .setHeader("Accept", METADATA_ONLY)
                .build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while looking up Secret " + namespace + "/" + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException("cannot look up Secret " + namespace + "/" + name + ": " + e, e);
        }
        return switch (response.code()) {
            case 200 -> Availability.USABLE;
            case 403 -> Availability.NOT_GRANTED;
            case 404 -> Availability.MISSING;
            default -> throw new KubernetesClientException("looking up Secret " + namespace + "/" + name + ": HTTP "
                    + response.code(), response.code(), null);
        };
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
