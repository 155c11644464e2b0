package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.*;

/** Client addresses are cut to their IPv4 /24 or IPv6 /48 network before logging, with no DNS lookups. */
class ClientAddressTest {
    @Test
    void ipv4IsTruncatedToItsSlash24() throws Exception {
        assertEquals("203.0.113.0/24", ClientAddress.truncate(InetAddress.getByName("203.0.113.77")));
        assertEquals("10.255.1.0/24", ClientAddress.truncate("10.255.1.254"));
        assertEquals("127.0.0.0/24", ClientAddress.truncate(new InetSocketAddress("127.0.0.1", 51234)));
    }

    @Test
    void ipv6IsTruncatedToItsSlash48() {
        assertEquals("2001:db8:85a3::/48", ClientAddress.truncate("2001:db8:85a3:8d3:1319:8a2e:370:7348"));
        assertEquals("2001:db8::/48", ClientAddress.truncate("[2001:db8::1]"));
        assertEquals("::/48", ClientAddress.truncate("::1"));
        assertEquals("2001::/48", ClientAddress.truncate("2001:0:0:1::"));
        assertEquals("0:0:1::/48", ClientAddress.truncate("0:0:1:2::"));
    }

    @Test
    void ipv4MappedIpv6CountsAsIpv4() {
        assertEquals("192.0.2.0/24", ClientAddress.truncate("::ffff:192.0.2.33"));
    }

    @Test
    void hostNamesAreNotResolvedAndMissingAddressesAreADash() {
        assertEquals("invalid", ClientAddress.truncate("example.com"));
        assertEquals("invalid", ClientAddress.truncate("1.2.3.4, 5.6.7.8"));
        assertEquals("-", ClientAddress.truncate((String) null));
        assertEquals("-", ClientAddress.truncate((InetAddress) null));
        assertEquals("-", ClientAddress.truncate(InetSocketAddress.createUnresolved("example.com", 80)));
    }
}
