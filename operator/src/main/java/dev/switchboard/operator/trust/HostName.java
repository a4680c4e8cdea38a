package dev.switchboard.operator.trust;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * DNS names an endpoint URL may name: lower-case RFC 1123 labels whose last label starts with a letter, so that
 * numeric forms of addresses ({@code 127.1}, {@code 2130706433}) are never taken for names. The admission policy
 * uses the same pattern.
 */
public final class HostName {
    /** Of a normalized name (no trailing dot); also in the chart's admission policy (templates/_trust.tpl). */
    public static final String PATTERN =
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z]([-a-z0-9]*[a-z0-9])?$";
    private static final Pattern NAME = Pattern.compile(PATTERN);

    private HostName() {
    }

    public static boolean isValid(String host) {
        return host != null && host.length() <= 253 && NAME.matcher(host).matches();
    }

    /** Lower case, without a trailing dot. */
    public static String normalize(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** {@code pattern} is an exact name or {@code *.suffix} (any name ending in .suffix, not suffix itself). */
    public static boolean matches(String pattern, String host) {
        String p = normalize(pattern.strip());
        String h = normalize(host);
        return p.startsWith("*.") ? h.endsWith(p.substring(1)) : p.equals(h);
    }
}
