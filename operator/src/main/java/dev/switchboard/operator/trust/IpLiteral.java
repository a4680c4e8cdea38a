package dev.switchboard.operator.trust;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP address literals, read the way the admission policy's CEL {@code isIP()} reads them: dotted-decimal IPv4
 * with four parts and no leading zeros, or IPv6 without zone and not IPv4-mapped. Nothing is ever resolved. Forms
 * some resolvers also accept ({@code 127.1}, {@code 0x7f.0.0.1}, {@code 2130706433}) are not addresses here, and are
 * not valid host names either ({@link HostName}), so they are refused.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

    private IpLiteral() {
    }

    /** The address bytes (4 or 16) of {@code text}, if it is an IP literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            return Optional.ofNullable(address(text)).map(InetAddress::getAddress);
        }
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            InetAddress address = address(text);
            // an IPv4-mapped literal (::ffff:127.0.0.1) comes back as an Inet4Address: not accepted, as in CEL
            return address instanceof Inet6Address v6 && v6.getScopeId() == 0 ? Optional.of(v6.getAddress())
                    : Optional.empty();
        }
        return Optional.empty();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static boolean is(String text) {
        return parse(text).isPresent();
    }
}
