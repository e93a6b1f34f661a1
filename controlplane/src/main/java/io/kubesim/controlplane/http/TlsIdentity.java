package io.kubesim.controlplane.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The serving certificate of {@code kubesim serve --token} (or {@code --tls}): a self-signed
 * certificate made at start-up by the JDK's keytool, for 127.0.0.1, ::1, localhost and the bind
 * address, in a temporary PKCS12 keystore that is deleted once loaded. kubectl sends a bearer
 * token only over TLS, so the kubeconfig carries this certificate as its
 * {@code certificate-authority-data}.
 */
public final class TlsIdentity {

  private static final String ALIAS = "kubesim";

  private final KeyStore keyStore;
  private final char[] password;
  private final X509Certificate certificate;

  private TlsIdentity(KeyStore keyStore, char[] password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = certificate;
  }

  /** Makes a new key pair and certificate valid for the loopback names and {@code bindAddress}. */
  public static TlsIdentity generate(String bindAddress) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kubesim-tls");
      Path store = dir.resolve("serving.p12");
      byte[] secret = new byte[18];
      new SecureRandom().nextBytes(secret);
      char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
      List<String> cmd = List.of(keytool(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname",
          "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650", "-dname", "CN=kubesim",
          "-ext", "SAN=" + subjectAltNames(bindAddress), "-ext", "KU=digitalSignature",
          "-ext", "EKU=serverAuth", "-keystore", store.toString(), "-storetype", "PKCS12",
          "-storepass:env", "KUBESIM_TLS_PASSWORD", "-keypass:env", "KUBESIM_TLS_PASSWORD", "-noprompt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("KUBESIM_TLS_PASSWORD", new String(password));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool could not make the serving certificate: " + out.trim());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, password);
      }
      return new TlsIdentity(ks, password, (X509Certificate) ks.getCertificate(ALIAS));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the serving certificate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the serving certificate", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** The keytool of the running JDK. */
  private static String keytool() {
    Path beside = Path.of(System.getProperty("java.home"), "bin", "keytool");
    return Files.isExecutable(beside) ? beside.toString() : "keytool";
  }

  static String subjectAltNames(String bindAddress) {
    Set<String> names = new LinkedHashSet<>(List.of("IP:127.0.0.1", "IP:::1", "DNS:localhost"));
    if (bindAddress != null && !bindAddress.isEmpty()) {
      boolean ip = bindAddress.contains(":") || bindAddress.chars().allMatch(c -> c == '.' || Character.isDigit(c));
      names.add((ip ? "IP:" : "DNS:") + bindAddress);
      if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::")) {
        // Listening on every interface: the machine's own name and address are how others reach it.
        try {
          InetAddress local = InetAddress.getLocalHost();
          names.add("DNS:" + local.getHostName());
          names.add("IP:" + local.getHostAddress());
        } catch (IOException e) {
          // no usable host name: loopback only
        }
      }
    }
    return String.join(",", names);
  }

  /** The server side's TLS context. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate in PEM, as a kubeconfig's certificate-authority-data holds it (before base64). */
  public String certificatePem() {
    return pem(certificate);
  }

  static String pem(Certificate c) {
    try {
      String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts exactly the certificates in {@code pem}. */
  public static SSLContext trusting(String pem) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : cf.generateCertificates(new java.io.ByteArrayInputStream(
          pem.getBytes(StandardCharsets.US_ASCII)))) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate-authority-data is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary directory left behind holds no secret worth more than this process
    }
  }
}
