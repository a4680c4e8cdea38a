package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.trust.SecretGrants;
import dev.switchboard.operator.trust.Violation;

import java.util.Optional;

/**
 * The API key deployed experts' vLLM requires when the operator runs with expert API keys
 * ({@code switchboard.operator.expert-api-keys.enabled}, Helm value {@code expertApiKeys.enabled}): key
 * {@value #KEY} of one Secret per namespace ({@code expertApiKeys.secretName}, default
 * {@value OperatorConfig#DEFAULT_EXPERT_API_KEY_SECRET}) that the admin creates and grants to the operator's
 * ServiceAccount like any other Secret. The operator neither creates it nor reads its value (it checks the grant and
 * that the Secret exists, {@link SecretGrants#availability}): vLLM gets it by secretKeyRef (env
 * {@value #ENV}), {@code status.apiKeySecretRef} names it, and the router Role of each policy selecting the expert
 * lists it, so that the router sends it. docs/operations.md#expert-api-keys.
 */
public final class ExpertApiKeySecret {
    public static final String KEY = "api-key";
    /** vLLM's OpenAI server reads its API key from this variable as from --api-key (only /v1 paths check it). */
    public static final String ENV = "VLLM_API_KEY";
    /**
     * The setting that names the Secret, as a refusal names it: the Helm value (the operator's property is
     * {@code switchboard.operator.expert-api-keys.secret-name}).
     */
    public static final String SETTING = "expertApiKeys.secretName";

    private ExpertApiKeySecret() {
    }

    public static SecretKeyRef ref(OperatorConfig config) {
        return new SecretKeyRef(config.expertApiKeys().secretName(), KEY);
    }

    /**
     * Why a deployed expert in {@code namespace} cannot get the key: the Secret is not granted to the operator, or
     * is granted but missing (reason SecretNotGranted, naming the setting); empty when it is usable. Without the key
     * nothing is deployed: a vLLM that does not require the key would be open to every pod that reaches it.
     */
    public static Optional<Violation> check(SecretGrants grants, String namespace, OperatorConfig config) {
        String name = config.expertApiKeys().secretName();
        String how = "the admin creates it (key " + KEY + ") and grants it with a Role allowing get on it by name in "
                + namespace + ", bound to the operator's ServiceAccount (docs/operations.md#expert-api-keys)";
        return switch (grants.availability(namespace, name)) {
            case USABLE -> Optional.empty();
            case NOT_GRANTED -> Optional.of(new Violation(SETTING, Violation.SECRET_NOT_GRANTED, "Secret " + name
                    + " (the expert API key every deployed expert requires) is not granted to Switchboard: " + how));
            case MISSING -> Optional.of(new Violation(SETTING, Violation.SECRET_NOT_GRANTED, "Secret " + name
                    + " (the expert API key every deployed expert requires) does not exist in " + namespace + ": "
                    + how));
        };
    }
}
