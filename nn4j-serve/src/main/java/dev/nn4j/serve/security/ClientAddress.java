package dev.nn4j.serve.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Truncates client addresses before they are logged, so that logs identify a network, not a person: IPv4 to its /24
 * ({@code 203.0.113.77 → 203.0.113.0/24}), IPv6 to its /48 ({@code 2001:db8:85a3:8d3::1 → 2001:db8:85a3::/48}).
 * IPv4-mapped IPv6 addresses count as IPv4. Never does a DNS lookup.
 */
public final class ClientAddress {
    private ClientAddress() {}

    /** The truncated network of {@code address}, or {@code "-"} when null. */
    public static String truncate(InetAddress address) {
        if (address == null) {
            return "-";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        // the zeroed tail (5 groups) is always the longest zero run, so RFC 5952 writes it as "::"
        int g0 = group(b, 0), g1 = group(b, 2), g2 = group(b, 4);
        String head = g2 != 0 ? hex(g0) + ":" + hex(g1) + ":" + hex(g2)
                : g1 != 0 ? hex(g0) + ":" + hex(g1)
                : g0 != 0 ? hex(g0) : "";
        return head + "::/48";
    }

    /** The truncated network of a socket address (its port dropped), or {@code "-"} when it is not an IP address. */
    public static String truncate(SocketAddress address) {
        return address instanceof InetSocketAddress isa && isa.getAddress() != null ? truncate(isa.getAddress()) : "-";
    }

    /**
     * The truncated network of an address literal such as {@code "192.0.2.7"} or {@code "[2001:db8::1]"} (for example
     * from {@code X-Forwarded-For}); {@code "invalid"} when it is not a literal, without resolving it.
     */
    public static String truncate(String literal) {
        if (literal == null || literal.isBlank()) {
            return "-";
        }
        String s = literal.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        try {
            return truncate(InetAddress.ofLiteral(s));
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }

    private static String hex(int g) {
        return Integer.toHexString(g);
    }

    private static int group(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
