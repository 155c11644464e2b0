package dev.nn4j.serve.security;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server {@link SSLContext}s from the files operators have: a PEM certificate chain plus a PEM private key
 * (as written by {@code openssl} or certbot), or one PKCS#12 file ({@code .p12}/{@code .pfx}, as written by
 * {@code keytool} or {@code openssl pkcs12 -export}). Any HTTP server that takes an {@code SSLContext} can use them.
 *
 * <p>Private keys may be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}). Other forms are refused with the {@code openssl} command that converts them. The key
 * is checked against the certificate by signing and verifying a test message, so a mismatched pair fails at start-up
 * rather than at the first handshake.
 */
public final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {}

    /**
     * From the command line's {@code --tls-cert F [--tls-key K]}: a PEM pair when {@code key} is given, otherwise
     * {@code cert} must be a PKCS#12 file opened with {@code password} (null for none).
     */
    public static SSLContext load(Path cert, Path key, char[] password) {
        if (key == null && isPem(cert)) {
            throw new IllegalArgumentException("TLS: " + cert + " is a PEM file; give its private key too (--tls-key), "
                    + "or a PKCS#12 file alone");
        }
        return key != null ? fromPem(cert, key) : fromPkcs12(cert, password);
    }

    private static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
        } catch (IOException e) {
            return false; // fromPkcs12 reports the unreadable file
        }
    }

    /** A context serving the certificate chain in {@code certificatePem} (leaf first) with the key in {@code keyPem}. */
    public static SSLContext fromPem(Path certificatePem, Path keyPem) {
        List<X509Certificate> chain = readCertificates(certificatePem);
        PrivateKey key = readPrivateKey(keyPem);
        checkPair(key, chain.getFirst().getPublicKey(), certificatePem, keyPem);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            return context(ks, NO_PASSWORD);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS: cannot build a key store from " + certificatePem + " and " + keyPem
                    + ": " + e.getMessage(), e);
        }
    }

    /** A context serving the (single) private key entry of a PKCS#12 file. */
    public static SSLContext fromPkcs12(Path file, char[] password) {
        char[] pw = password == null ? NO_PASSWORD : password;
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
        } catch (IOException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException || e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("password")
                    ? "wrong password or not a PKCS#12 file" : e.getMessage();
            throw new IllegalArgumentException("TLS: cannot read PKCS#12 file " + file + ": " + why, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: cannot read PKCS#12 file " + file + ": " + e.getMessage(), e);
        }
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new IllegalArgumentException("TLS: PKCS#12 file " + file + " must hold exactly one private key entry, found "
                        + keyAliases.size() + " " + keyAliases);
            }
            return context(ks, pw);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: cannot use the key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The X.509 certificates of a PEM file, in file order. */
    static List<X509Certificate> readCertificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("TLS: no certificate in " + pem + " (expected -----BEGIN CERTIFICATE-----)");
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file (PKCS#8, or PKCS#1 RSA). */
    static PrivateKey readPrivateKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS: cannot read private key " + pem + ": " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> wrapPkcs1Rsa(der);
                default -> throw new IllegalArgumentException("TLS: " + pem + " holds a '" + type + "' key, which is not supported; "
                        + "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + pem + " -out key-pkcs8.pem");
            };
            for (String alg : List.of("RSA", "EC", "Ed25519", "EdDSA", "RSASSA-PSS")) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException ignored) {
                    // not this algorithm: try the next
                }
            }
            throw new IllegalArgumentException("TLS: the private key in " + pem + " is not an RSA, EC or Ed25519 key this JVM can read");
        }
        throw new IllegalArgumentException("TLS: no private key in " + pem + " (expected -----BEGIN PRIVATE KEY-----)");
    }

    /** PKCS#8 PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }. */
    private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] versionAndAlg = {0x02, 0x01, 0x00, // INTEGER 0
                0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(versionAndAlg);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void checkPair(PrivateKey key, PublicKey pub, Path cert, Path keyFile) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null; // RSASSA-PSS needs parameters; the handshake will tell
        };
        if (alg == null) {
            return;
        }
        try {
            byte[] msg = "nn4j key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(msg);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(msg);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: fall through to the mismatch message
        }
        throw new IllegalArgumentException("TLS: the private key in " + keyFile + " does not match the certificate in " + cert);
    }

    private static SSLContext context(KeyStore ks, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
