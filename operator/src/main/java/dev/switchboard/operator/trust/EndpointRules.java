package dev.switchboard.operator.trust;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where ExpertModel {@code spec.external.url} and RoutingPolicy {@code spec.embedding.endpoint.url} may point (Helm
 * values {@code trust.endpoints.*}). The chart's ValidatingAdmissionPolicy applies the same rules at admission;
 * the operator re-checks them, and checks the addresses a name resolves to before each probe.
 *
 * <ul>
 *   <li>The cluster's API server ({@code kubernetes}, {@code kubernetes.default}, {@code kubernetes.default.svc},
 *   {@code kubernetes.default.svc.<cluster domain>}, and at probe time its Service and endpoint addresses) is never
 *   allowed.</li>
 *   <li>A host name is allowed when it matches {@code allowedHosts} (exact or {@code *.suffix}); when that list is
 *   empty, any name but {@code localhost}, {@code *.localhost} and the cloud metadata names.</li>
 *   <li>An IP address (literal, or what a name resolves to) is allowed when it is in {@code allowedCIDRs}; when that
 *   list is empty (for literals; always, for resolved names), any address but loopback, link-local, multicast,
 *   unspecified and broadcast ones, 0.0.0.0/8, the cloud metadata addresses and {@code deniedCIDRs}.</li>
 *   <li>A URL whose resource sends an API key to it must be {@code https}, unless its host is in {@code plainHttp}
 *   (names as in allowedHosts, or CIDRs).</li>
 *   <li>No user info ({@code user@host}) in the URL.</li>
 * </ul>
 */
public record EndpointRules(List<String> allowedHosts, List<IpRange> allowedCidrs, List<IpRange> deniedCidrs,
                            List<String> plainHttp) {
    /** The API server's in-cluster names (also with any cluster domain after .svc); never allowed. */
    public static final List<String> API_SERVER_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc");
    /** Names denied unless allowedHosts lists them. */
    public static final List<String> DENIED_NAMES = List.of("localhost", "*.localhost", "metadata",
            "metadata.google.internal");
    /** Addresses denied besides the non-global-unicast ones, unless allowedCIDRs lists them. */
    public static final List<String> DENIED_ADDRESSES = List.of("0.0.0.0/8", "100.100.100.200/32",
            "fd00:ec2::254/128");
    private static final List<IpRange> DENIED_RANGES = DENIED_ADDRESSES.stream().map(IpRange::parse).toList();
    private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    public EndpointRules {
        allowedHosts = List.copyOf(allowedHosts);
        allowedCidrs = List.copyOf(allowedCidrs);
        deniedCidrs = List.copyOf(deniedCidrs);
        plainHttp = List.copyOf(plainHttp);
        for (String entry : plainHttp) {
            if (!entry.contains("/") && !HostName.isValid(HostName.normalize(entry.replace("*.", "")))) {
                throw new IllegalArgumentException("trust.endpoints.plainHttp: '" + entry
                        + "' is neither a host name (exact or *.suffix) nor a CIDR");
            }
            if (entry.contains("/")) {
                IpRange.parse(entry);
            }
        }
    }

    /** The documented defaults: any public host; no plain http for API keys. */
    public static EndpointRules defaults() {
        return new EndpointRules(List.of(), List.of(), List.of(), List.of());
    }

    /**
     * The host of {@code url} as the rules read it: lower case, without trailing dot, IPv6 without brackets; empty
     * when unparsable.
     */
    public static Optional<String> host(String url) {
        String authority;
        try {
            authority = new URI(url).getRawAuthority();
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.empty();
        }
        if (authority == null) {
            return Optional.empty();
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            host = hostPort.substring(1, end);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(HostName.normalize(host));
    }

    /**
     * What is wrong with {@code url} (named {@code field}) as written, or empty when it may be used.
     * {@code sendsKey}: the resource sends an API key to it.
     */
    public Optional<Violation> check(String field, String url, boolean sendsKey) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return refuse(field, "'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return refuse(field, "'" + url + "': only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return refuse(field, "'" + url + "': user info (user@host) is not allowed in endpoint URLs");
        }
        Optional<String> parsed = host(url);
        if (parsed.isEmpty()) {
            return refuse(field, "'" + url + "' has no host");
        }
        String host = parsed.get();
        Optional<String> hostProblem = hostProblem(host);
        if (hostProblem.isPresent()) {
            return refuse(field, hostProblem.get());
        }
        if (scheme.equals("http") && sendsKey && !plainHttpAllowed(host)) {
            return Optional.of(new Violation(field, Violation.PLAIN_HTTP_NOT_ALLOWED, "an API key is sent to '"
                    + url + "' only over https; host " + host + " is not in trust.endpoints.plainHttp"));
        }
        return Optional.empty();
    }

    /** Why {@code host} (lower case, no brackets) may not be used, or empty. */
    Optional<String> hostProblem(String host) {
        Optional<byte[]> ip = IpLiteral.parse(host);
        if (ip.isPresent()) {
            return addressProblem(host, ip.get());
        }
        if (!HostName.isValid(host)) {
            return Optional.of("host " + host + " is neither a DNS name nor an IP address");
        }
        if (API_SERVER_NAMES.contains(host) || host.startsWith("kubernetes.default.svc.")) {
            return Optional.of("host " + host + " is the cluster's API server, which is never allowed");
        }
        if (allowedHosts.stream().anyMatch(p -> HostName.matches(p, host))) {
            return Optional.empty();
        }
        if (!allowedHosts.isEmpty()) {
            return Optional.of("host " + host + " is not in trust.endpoints.allowedHosts " + allowedHosts);
        }
        if (DENIED_NAMES.stream().anyMatch(p -> HostName.matches(p, host))) {
            return Optional.of("host " + host + " is a local or cloud metadata name (denied unless listed in "
                    + "trust.endpoints.allowedHosts)");
        }
        return Optional.empty();
    }

    private Optional<String> addressProblem(String host, byte[] address) {
        if (allowedCidrs.stream().anyMatch(r -> r.contains(address))) {
            return Optional.empty();
        }
        if (!allowedCidrs.isEmpty()) {
            return Optional.of("address " + host + " is not in trust.endpoints.allowedCIDRs " + allowedCidrs);
        }
        return deniedByDefault("address " + host, address);
    }

    /**
     * Why an address {@code host}'s name resolved to may not be called (checked before each probe), or empty.
     * Only allowedCIDRs exempts an address from the default denials; a name in allowedHosts does not.
     */
    public Optional<String> resolvedAddressProblem(String host, InetAddress address) {
        byte[] bytes = address.getAddress();
        if (allowedCidrs.stream().anyMatch(r -> r.contains(bytes))) {
            return Optional.empty();
        }
        return deniedByDefault(host + " (" + address.getHostAddress() + ")", bytes);
    }

    private Optional<String> deniedByDefault(String what, byte[] address) {
        InetAddress a = IpRange.toAddress(address);
        boolean notGlobal = a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
                || a.isAnyLocalAddress() || (a instanceof Inet4Address && java.util.Arrays.equals(address, BROADCAST));
        if (notGlobal) {
            return Optional.of(what + " is a loopback, link-local, multicast or unspecified address (denied unless "
                    + "listed in trust.endpoints.allowedCIDRs)");
        }
        if (DENIED_RANGES.stream().anyMatch(r -> r.contains(address))) {
            return Optional.of(what + " is a reserved or cloud metadata address (denied unless listed in "
                    + "trust.endpoints.allowedCIDRs)");
        }
        for (IpRange denied : deniedCidrs) {
            if (denied.contains(address)) {
                return Optional.of(what + " is in trust.endpoints.deniedCIDRs " + denied
                        + " (denied unless listed in trust.endpoints.allowedCIDRs)");
            }
        }
        return Optional.empty();
    }

    private boolean plainHttpAllowed(String host) {
        Optional<byte[]> ip = IpLiteral.parse(host);
        for (String entry : plainHttp) {
            if (entry.contains("/")) {
                if (ip.isPresent() && IpRange.parse(entry).contains(ip.get())) {
                    return true;
                }
            } else if (ip.isEmpty() && HostName.matches(entry, host)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Violation> refuse(String field, String message) {
        return Optional.of(new Violation(field, Violation.ENDPOINT_NOT_ALLOWED, message));
    }
}
