package dev.switchboard.router.table;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API-key Secrets read one by one by name. The router's Role may only get (and watch) the Secrets its experts
 * reference, by resourceName, so a namespace-wide Secret informer is not allowed; each Secret is fetched when
 * first needed and re-read periodically.
 */
final class NamedSecrets {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Optional<Secret>> cache = new ConcurrentHashMap<>();

    NamedSecrets(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    Optional<String> value(String name, String key) {
        return cache.computeIfAbsent(name, this::fetch).flatMap(s -> StandaloneTableSource.secretValue(s, key));
    }

    /** Re-reads every Secret seen so far; true when one changed, appeared or disappeared. */
    boolean refresh() {
        boolean changed = false;
        for (String name : cache.keySet()) {
            Optional<Secret> now = fetch(name);
            Optional<Secret> before = cache.put(name, now);
            changed |= !Objects.equals(version(before), version(now));
        }
        return changed;
    }

    private static String version(Optional<Secret> secret) {
        return secret == null ? null : secret.map(s -> s.getMetadata().getResourceVersion()).orElse("absent");
    }

    private Optional<Secret> fetch(String name) {
        try {
            return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                return Optional.empty(); // not granted (yet) or gone: the expert is unroutable until it is
            }
            throw e;
        }
    }
}
