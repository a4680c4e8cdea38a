package dev.switchboard.operator.trust;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** An IPv4 or IPv6 range in CIDR notation (10.0.0.0/8, fd00::/8); a bare address is a /32 or /128. */
public record IpRange(byte[] network, int prefix, String text) {

    public IpRange {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(text, "text");
    }

    /** Parses {@code text}; only numeric addresses are accepted (no name is ever resolved). */
    public static IpRange parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = IpLiteral.parse(address)
                .orElseThrow(() -> new IllegalArgumentException("not an IP range: '" + text + "'"));
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP range: '" + text + "'");
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("not an IP range: '" + text + "' (prefix length 0.." + max + ")");
        }
        return new IpRange(bytes, prefix, trimmed);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefix == prefix && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
