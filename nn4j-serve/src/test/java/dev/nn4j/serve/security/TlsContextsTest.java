package dev.nn4j.serve.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * TLS contexts from self-signed certificates made in the test with the JDK's keytool: each context must complete a
 * real handshake on loopback with a client that trusts the certificate.
 */
class TlsContextsTest {
    private static final char[] PW = "changeit".toCharArray();

    /** Self-signed key pairs made once for the class (keytool starts a JVM each time): two RSA, one EC. */
    @TempDir
    static Path keys;
    static Path rsa, otherRsa, ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeyPairs() throws Exception {
        // three keytool runs in parallel: each is a JVM start on a busy machine
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            Future<Path> a = pool.submit(() -> keytool("rsa.p12", "RSA"));
            Future<Path> b = pool.submit(() -> keytool("other.p12", "RSA"));
            Future<Path> c = pool.submit(() -> keytool("ec.p12", "EC"));
            rsa = a.get();
            otherRsa = b.get();
            ec = c.get();
        }
    }

    @Test
    void pkcs12FileServesAHandshake() throws Exception {
        Path p12 = rsa;
        assertHandshake(TlsContexts.load(p12, null, PW), certificate(p12));
    }

    @Test
    void pemCertificateAndPkcs8RsaKeyServeAHandshake() throws Exception {
        Path p12 = rsa;
        Path cert = writePem("cert.pem", "CERTIFICATE", certificate(p12).getEncoded());
        Path key = writePem("key.pem", "PRIVATE KEY", privateKey(p12).getEncoded());
        assertHandshake(TlsContexts.load(cert, key, null), certificate(p12));
    }

    @Test
    void pemPkcs1RsaKeyServesAHandshake() throws Exception {
        Path p12 = rsa;
        Path cert = writePem("cert.pem", "CERTIFICATE", certificate(p12).getEncoded());
        Path key = writePem("key.pem", "RSA PRIVATE KEY", pkcs1Of(privateKey(p12).getEncoded()));
        assertHandshake(TlsContexts.fromPem(cert, key), certificate(p12));
    }

    @Test
    void pemEcKeyServesAHandshake() throws Exception {
        Path p12 = ec;
        Path cert = writePem("cert.pem", "CERTIFICATE", certificate(p12).getEncoded());
        Path key = writePem("key.pem", "PRIVATE KEY", privateKey(p12).getEncoded());
        assertHandshake(TlsContexts.fromPem(cert, key), certificate(p12));
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateFailsAtStartNamingBothFiles() throws Exception {
        Path a = rsa;
        Path b = otherRsa;
        Path cert = writePem("cert.pem", "CERTIFICATE", certificate(a).getEncoded());
        Path key = writePem("key.pem", "PRIVATE KEY", privateKey(b).getEncoded());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.fromPem(cert, key));
        assertEquals("TLS: the private key in " + key + " does not match the certificate in " + cert, e.getMessage());
    }

    @Test
    void wrongPkcs12PasswordAndUnsupportedOrMissingFilesHaveClearErrors() throws Exception {
        Path p12 = rsa;
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.fromPkcs12(p12, "nope".toCharArray()));
        assertTrue(wrong.getMessage().startsWith("TLS: cannot read PKCS#12 file " + p12), wrong.getMessage());

        Path cert = writePem("cert.pem", "CERTIFICATE", certificate(p12).getEncoded());
        Path encrypted = writePem("enc.pem", "ENCRYPTED PRIVATE KEY", new byte[]{1, 2, 3});
        IllegalArgumentException enc = assertThrows(IllegalArgumentException.class, () -> TlsContexts.fromPem(cert, encrypted));
        assertTrue(enc.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + encrypted), enc.getMessage());

        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> TlsContexts.fromPem(cert, cert));
        assertTrue(noKey.getMessage().startsWith("TLS: no private key in " + cert), noKey.getMessage());

        IllegalArgumentException pemAlone = assertThrows(IllegalArgumentException.class, () -> TlsContexts.load(cert, null, null));
        assertTrue(pemAlone.getMessage().contains("is a PEM file; give its private key too"), pemAlone.getMessage());

        Path missing = dir.resolve("missing.pem");
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class, () -> TlsContexts.fromPem(missing, missing));
        assertTrue(gone.getMessage().startsWith("TLS: cannot read certificates from " + missing), gone.getMessage());
    }

    /** Generates a self-signed key pair for localhost / 127.0.0.1 into a PKCS#12 file with the JDK's keytool. */
    private static Path keytool(String name, String alg) {
        try {
            return runKeytool(keys.resolve(name), alg);
        } catch (Exception e) {
            throw new IllegalStateException("keytool " + alg + ": " + e.getMessage(), e);
        }
    }

    private static Path runKeytool(Path file, String alg) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-genkeypair", "-alias", "server", "-keyalg", alg,
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PW), "-keypass", new String(PW)));
        cmd.addAll(alg.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool timed out");
        assertEquals(0, p.exitValue(), "keytool failed: " + out);
        return file;
    }

    private static KeyStore open(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PW);
        }
        return ks;
    }

    private static X509Certificate certificate(Path p12) throws Exception {
        return (X509Certificate) open(p12).getCertificate("server");
    }

    private static PrivateKey privateKey(Path p12) throws Exception {
        return (PrivateKey) open(p12).getKey("server", PW);
    }

    private Path writePem(String name, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }

    /**
     * The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER version, SEQUENCE algorithm,
     * OCTET STRING pkcs1 }; skips the first two elements and returns the octet string's content.
     */
    private static byte[] pkcs1Of(byte[] pkcs8) {
        int[] pos = {0};
        header(pkcs8, pos); // outer SEQUENCE: step inside
        for (int i = 0; i < 2; i++) {
            int len = header(pkcs8, pos);
            pos[0] += len;
        }
        assertEquals(0x04, pkcs8[pos[0]] & 0xff, "expected the OCTET STRING");
        int len = header(pkcs8, pos);
        return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + len);
    }

    /** Reads a DER tag and length at pos, leaves pos at the content, returns the content length. */
    private static int header(byte[] der, int[] pos) {
        pos[0]++; // tag
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    /** Runs a TLS echo over loopback: the client trusts only {@code expected} and must see it as the server's certificate. */
    private static void assertHandshake(SSLContext server, X509Certificate expected) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", expected);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(loopback, ss.getLocalPort())) {
                c.setSoTimeout(20_000);
                c.startHandshake();
                Certificate[] peer = c.getSession().getPeerCertificates();
                assertEquals(expected, peer[0]);
                c.getOutputStream().write(41);
                c.getOutputStream().flush();
                assertEquals(42, c.getInputStream().read());
            }
            echo.get(20, TimeUnit.SECONDS);
        }
    }
}
