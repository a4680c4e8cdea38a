package dev.switchboard.operator.expert;

import dev.switchboard.operator.status.Reasons;
import dev.switchboard.operator.trust.ApiServerAddresses;
import dev.switchboard.operator.trust.EndpointRules;
import dev.switchboard.operator.trust.IpLiteral;
import dev.switchboard.operator.trust.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * GET {url}/models on an external OpenAI-compatible endpoint, without credentials: the operator holds no API keys
 * (the router, which sends them, gets them through its Role). Redirects are never followed. Before connecting, every
 * address the host resolves to is checked against the admin's {@link EndpointRules} and the API server's own
 * addresses, so a name that resolves to a link-local or loopback address is not probed.
 *
 * <p>Reachable means a 2xx answer, or 401/403 from an endpoint the expert has an API key for: the endpoint is up and
 * asks for credentials, which the router sends; whether the key is accepted shows in the router's traffic, not here.
 */
public final class ExternalProbe {
    private final HttpClient http;
    private final Duration timeout;
    private final EndpointRules rules;
    private final ApiServerAddresses apiServer;

    public record Outcome(boolean reachable, String reason, String message) {
    }

    public ExternalProbe(Duration timeout, EndpointRules rules, ApiServerAddresses apiServer) {
        this.timeout = timeout;
        this.rules = rules;
        this.apiServer = apiServer;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static String modelsUrl(String baseUrl) {
        return baseUrl.replaceAll("/+$", "") + "/models";
    }

    /** {@code hasKey}: the expert names an API key (spec.external.apiKeySecretRef) the router sends. */
    public Outcome probe(String baseUrl, boolean hasKey) {
        String url = modelsUrl(baseUrl);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new Outcome(false, Reasons.ENDPOINT_ERROR, "invalid endpoint URL " + url);
        }
        Optional<Outcome> refused = checkAddresses(uri);
        if (refused.isPresent()) {
            return refused.get();
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close(); // the status is the answer; never wait for a body that may not end
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                return new Outcome(true, Reasons.ENDPOINT_REACHABLE, "GET " + url + " answered " + code);
            }
            if ((code == 401 || code == 403) && hasKey) {
                return new Outcome(true, Reasons.ENDPOINT_REACHABLE, "GET " + url + " answered " + code
                        + " without credentials: the endpoint is up and asks for the API key the router sends "
                        + "(the operator holds no API keys, so it does not check the key)");
            }
            if (code >= 300 && code < 400) {
                return new Outcome(false, Reasons.ENDPOINT_ERROR, "GET " + url + " answered HTTP " + code
                        + ": redirects are not followed; set spec.external.url to the final location");
            }
            return new Outcome(false, Reasons.ENDPOINT_ERROR, "GET " + url + " answered HTTP " + code
                    + (code == 401 || code == 403 ? " (the endpoint wants an API key: set "
                    + "spec.external.apiKeySecretRef)" : ""));
        } catch (HttpTimeoutException e) {
            return new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "GET " + url + " did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "GET " + url + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "GET " + url + " interrupted");
        }
    }

    private Optional<Outcome> checkAddresses(URI uri) {
        String host = EndpointRules.host(uri.toString()).orElse("");
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        InetAddress[] addresses;
        try {
            addresses = IpLiteral.is(host) ? new InetAddress[] {InetAddress.getByName(host)}
                    : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of(new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "cannot resolve host " + host));
        }
        for (InetAddress address : addresses) {
            if (apiServer.matches(address, port)) {
                return Optional.of(new Outcome(false, Violation.ENDPOINT_NOT_ALLOWED, "host " + host + " ("
                        + address.getHostAddress() + ":" + port + ") is the cluster's API server, which is never "
                        + "allowed"));
            }
            if (!IpLiteral.is(host)) {
                Optional<String> problem = rules.resolvedAddressProblem(host, address);
                if (problem.isPresent()) {
                    return Optional.of(new Outcome(false, Violation.ENDPOINT_NOT_ALLOWED, problem.get()));
                }
            }
        }
        return Optional.empty();
    }
}
