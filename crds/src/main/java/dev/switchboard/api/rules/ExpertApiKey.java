package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.SecretKeyRef;

import java.util.Optional;

/**
 * The API key callers of an expert must send as a Bearer token, and the field that names its Secret: an external
 * expert's {@code spec.external.apiKeySecretRef}, or, for a deployed expert whose vLLM the operator started with the
 * namespace's expert API key (the admin's Secret, operator setting expertApiKeys), {@code status.apiKeySecretRef}.
 * The router sends it; the operator grants the router's Role that Secret by name when it was granted to Switchboard.
 */
public record ExpertApiKey(String field, SecretKeyRef ref) {
    public static final String EXTERNAL = References.EXTERNAL_API_KEY;
    public static final String DEPLOYED = "status.apiKeySecretRef";

    public static Optional<ExpertApiKey> of(ExpertModel expert) {
        if (expert.isExternal()) {
            SecretKeyRef ref = expert.getSpec().external.apiKeySecretRef;
            return usable(ref) ? Optional.of(new ExpertApiKey(EXTERNAL, ref)) : Optional.empty();
        }
        SecretKeyRef ref = expert.getStatus() == null ? null : expert.getStatus().apiKeySecretRef;
        return usable(ref) ? Optional.of(new ExpertApiKey(DEPLOYED, ref)) : Optional.empty();
    }

    private static boolean usable(SecretKeyRef ref) {
        return ref != null && ref.name != null && !ref.name.isBlank() && ref.key != null && !ref.key.isBlank();
    }
}
