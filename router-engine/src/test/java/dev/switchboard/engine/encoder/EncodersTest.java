package dev.switchboard.engine.encoder;

import dev.switchboard.api.v1alpha1.EmbeddingSpec;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.engine.Encoder;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodersTest {
    static EmbeddingSpec endpoint(String url, String model, SecretKeyRef key) {
        EmbeddingSpec spec = new EmbeddingSpec();
        spec.endpoint = new EmbeddingSpec.EmbeddingEndpoint();
        spec.endpoint.url = url;
        spec.endpoint.model = model;
        spec.endpoint.apiKeySecretRef = key;
        return spec;
    }

    @Test
    void endpointEncodersAreSharedPerUrlModelAndKey() {
        SecretKeyRef ref = new SecretKeyRef("embedder", "key");
        Encoder a = Encoders.forSpec(endpoint("http://127.0.0.1:1/v1", "bge", ref), r -> Optional.of("k1"));
        Encoder b = Encoders.forSpec(endpoint("http://127.0.0.1:1/v1", "bge", ref), r -> Optional.of("k1"));
        Encoder c = Encoders.forSpec(endpoint("http://127.0.0.1:1/v1", "bge", ref), r -> Optional.of("k2"));
        assertThat(a).isSameAs(b).isNotSameAs(c).isInstanceOf(CachingEncoder.class);
        assertThat(a.id()).isEqualTo("openai:bge");
    }

    @Test
    void endpointErrorsNameTheField() {
        SecretKeyRef ref = new SecretKeyRef("embedder", "key");
        assertThatThrownBy(() -> Encoders.forSpec(endpoint("http://127.0.0.1:1/v1", "bge", ref), r -> Optional.empty()))
                .hasMessage("spec.embedding.endpoint.apiKeySecretRef: Secret embedder key key not found");
        assertThatThrownBy(() -> Encoders.forSpec(endpoint("127.0.0.1:1", "bge", null)))
                .hasMessageStartingWith("spec.embedding.endpoint: embedding endpoint url must be http(s)");
        EmbeddingSpec both = endpoint("http://127.0.0.1:1/v1", "bge", null);
        both.builtin = "hashing";
        assertThatThrownBy(() -> Encoders.forSpec(both)).hasMessageContaining("mutually exclusive");
    }

    @Test
    void threadSettingIsValidated() {
        try {
            System.setProperty("switchboard.encoder.threads", "2");
            assertThat(Encoders.configuredThreads()).isEqualTo(2);
            System.setProperty("switchboard.encoder.threads", "many");
            assertThatThrownBy(Encoders::configuredThreads).hasMessageContaining("got 'many'");
        } finally {
            System.clearProperty("switchboard.encoder.threads");
        }
    }
}
