package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The Secret {@code <expert>-api-key} holding the API key a deployed expert's vLLM requires (env
 * {@code VLLM_API_KEY}) when the operator runs with expert API keys: generated once, owned by the ExpertModel (so
 * it goes with it), never updated by the operator. Deleting it makes the operator generate a new key; the pods
 * read the key at start, so restart them (kubectl rollout restart) after such a rotation.
 */
public final class ExpertApiKeySecret {
    public static final String KEY = "api-key";
    /** vLLM's OpenAI server reads its API key from this variable as from --api-key (only /v1 paths check it). */
    public static final String ENV = "VLLM_API_KEY";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExpertApiKeySecret() {
    }

    public static String name(ExpertModel expert) {
        return expert.getMetadata().getName() + "-api-key";
    }

    public static SecretKeyRef ref(ExpertModel expert) {
        return new SecretKeyRef(name(expert), KEY);
    }

    /** A new Secret with a random 256-bit key. */
    static Secret render(ExpertModel expert) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(expert))
                .withNamespace(expert.getMetadata().getNamespace())
                .withLabels(ExpertLabels.of(expert))
                .withOwnerReferences(Owners.controllerRef(expert))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(KEY, Base64.getEncoder().encodeToString(value.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))))
                .build();
    }

    /**
     * Creates the Secret unless it exists; returns its key reference. A Secret of that name the expert does not
     * own (someone else's) is an IllegalStateException: the operator neither uses nor replaces it.
     */
    public static SecretKeyRef ensure(KubernetesClient client, ExpertModel expert) {
        String namespace = expert.getMetadata().getNamespace();
        Secret existing = client.secrets().inNamespace(namespace).withName(name(expert)).get();
        if (existing == null) {
            try {
                client.resource(render(expert)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = client.secrets().inNamespace(namespace).withName(name(expert)).get();
            }
        }
        if (existing != null && !ownedBy(existing, expert)) {
            throw new IllegalStateException("Secret " + name(expert) + " exists and is not owned by ExpertModel "
                    + expert.getMetadata().getName() + ": the operator does not take over a Secret it did not create;"
                    + " delete or rename it");
        }
        return ref(expert);
    }

    private static boolean ownedBy(Secret secret, ExpertModel expert) {
        return secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences()
                .stream().anyMatch(o -> expert.getMetadata().getUid().equals(o.getUid()));
    }
}
