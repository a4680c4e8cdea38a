package dev.switchboard.operator.trust;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The addresses of the cluster's own API server, which external probes never call: the in-cluster Service address
 * (KUBERNETES_SERVICE_HOST, any port) and the address and port the operator's client talks to.
 */
public final class ApiServerAddresses {
    private record Address(InetAddress address, int port) {
    }

    private final List<Address> addresses;

    private ApiServerAddresses(List<Address> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    public static ApiServerAddresses none() {
        return new ApiServerAddresses(List.of());
    }

    /** From the pod's environment and the client's API server URL (e.g. https://10.0.0.1:443). */
    public static ApiServerAddresses of(Map<String, String> env, String masterUrl) {
        List<Address> addresses = new ArrayList<>();
        String serviceHost = env.get("KUBERNETES_SERVICE_HOST");
        if (serviceHost != null && IpLiteral.is(serviceHost)) {
            addresses.add(new Address(literal(serviceHost), -1));
        }
        if (masterUrl != null) {
            try {
                URI uri = URI.create(masterUrl);
                String host = EndpointRules.host(masterUrl).orElse("");
                int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    addresses.add(new Address(a, port));
                }
            } catch (IllegalArgumentException | UnknownHostException e) {
                // unknown: only the Service address is checked
            }
        }
        return new ApiServerAddresses(addresses);
    }

    public boolean matches(InetAddress address, int port) {
        return addresses.stream().anyMatch(a -> a.address().equals(address) && (a.port() < 0 || a.port() == port));
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
