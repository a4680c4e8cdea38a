package dev.switchboard.router.auth;

import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.openai.OpenAiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Who is calling: the tenant of the request's API key ({@code Authorization: Bearer <key>}, or {@code api-key} /
 * {@code x-api-key} as Azure-style SDKs send it), or, when configured, the tenant a trusted gateway in front names
 * in {@code switchboard.auth.trusted-tenant-header}. In open mode everyone is {@link Tenant#ANONYMOUS}.
 */
@ApplicationScoped
public class ClientAuthenticator {
    private final TenantKeysFile keys;
    private final boolean open;
    private final String trustedHeader;

    public ClientAuthenticator(TenantKeysFile keys, RouterConfig config) {
        this.keys = keys;
        this.open = config.auth().mode() == RouterConfig.Auth.Mode.OPEN;
        this.trustedHeader = config.auth().trustedTenantHeader().filter(h -> !h.isBlank())
                .map(h -> h.toLowerCase(Locale.ROOT)).orElse(null);
    }

    public boolean open() {
        return open;
    }

    /** The caller's tenant; throws a 401 {@link OpenAiError.Failure} when there is none. */
    public Tenant authenticate(HttpServerRequest request) {
        if (open) {
            return Tenant.ANONYMOUS;
        }
        TenantDirectory directory = keys.directory();
        if (trustedHeader != null) {
            String name = request.getHeader(trustedHeader);
            if (name != null) {
                Tenant tenant = directory.byName().get(name.strip());
                if (tenant == null) {
                    throw unauthenticated("the tenant named by the gateway is not known to this router");
                }
                return tenant;
            }
        }
        String key = presentedKey(request);
        if (key == null) {
            throw unauthenticated("missing API key: send it as 'Authorization: Bearer <key>'");
        }
        Tenant tenant = directory.byKey(key);
        if (tenant == null) {
            throw unauthenticated("invalid API key");
        }
        return tenant;
    }

    private static String presentedKey(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).strip();
            return key.isEmpty() ? null : key;
        }
        String key = request.getHeader("api-key");
        if (key == null) {
            key = request.getHeader("x-api-key");
        }
        return key == null || key.isBlank() ? null : key.strip();
    }

    private static OpenAiError.Failure unauthenticated(String message) {
        return new OpenAiError(401, message, "invalid_request_error", null, "invalid_api_key").asFailure();
    }
}
