package io.kubesim.controlplane.launcher;

import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The kubeconfig {@code kubesim serve} writes (one cluster, context and user named "kubesim"; the
 * serving certificate as certificate-authority-data when it serves HTTPS; the bearer token when
 * one is set) and reads back for kubesim's own commands (clock, fault, logs, explain).
 */
public final class Kubeconfig {

  /** Where serve writes it, and where the other commands read it, unless told otherwise. */
  public static final Path DEFAULT_PATH = Path.of("kubesim.kubeconfig");

  /** The server URL, token and certificate authority (PEM) a kubeconfig's current context names. */
  public record Target(String server, String token, String certificateAuthority) {
    public Target(String server, String token) {
      this(server, token, null);
    }
  }

  private Kubeconfig() {}

  public static String render(String server, String token, String certificateAuthorityPem) {
    Map<String, Object> user = new LinkedHashMap<>();
    if (token != null) {
      user.put("token", token);
    }
    Map<String, Object> cluster = new LinkedHashMap<>();
    if (certificateAuthorityPem != null) {
      cluster.put("certificate-authority-data", Base64.getEncoder().encodeToString(
          certificateAuthorityPem.getBytes(StandardCharsets.US_ASCII)));
    }
    cluster.put("server", server);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    config.put("clusters", List.of(Map.of("name", "kubesim", "cluster", cluster)));
    config.put("contexts", List.of(Map.of("name", "kubesim", "context",
        Map.of("cluster", "kubesim", "user", "kubesim", "namespace", "default"))));
    config.put("current-context", "kubesim");
    config.put("users", List.of(Map.of("name", "kubesim", "user", user)));
    config.put("preferences", Map.of());
    return Json.YAML.writeValueAsString(config);
  }

  public static void write(Path path, String server, String token) throws IOException {
    write(path, server, token, null);
  }

  public static void write(Path path, String server, String token, String certificateAuthorityPem)
      throws IOException {
    Path abs = path.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Files.writeString(abs, render(server, token, certificateAuthorityPem));
    try {
      // It may hold a token: readable by its owner only, as kubectl writes kubeconfigs.
      Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  public static Target read(Path path) throws IOException {
    JsonNode root;
    try {
      root = Json.YAML.readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new IOException(path + ": no such kubeconfig (is `kubesim serve` running? it writes "
          + DEFAULT_PATH + " by default)");
    }
    String context = root.path("current-context").asString("");
    String cluster = null;
    String user = null;
    for (JsonNode c : root.path("contexts")) {
      if (c.path("name").asString("").equals(context)) {
        cluster = c.path("context").path("cluster").asString(null);
        user = c.path("context").path("user").asString(null);
      }
    }
    String server = null;
    String ca = null;
    for (JsonNode c : root.path("clusters")) {
      if (c.path("name").asString("").equals(cluster)) {
        server = c.path("cluster").path("server").asString(null);
        String data = c.path("cluster").path("certificate-authority-data").asString(null);
        String file = c.path("cluster").path("certificate-authority").asString(null);
        if (data != null && !data.isEmpty()) {
          ca = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.US_ASCII);
        } else if (file != null && !file.isEmpty()) {
          Path f = Path.of(file);
          ca = Files.readString(f.isAbsolute() ? f : path.toAbsolutePath().resolveSibling(f));
        }
      }
    }
    String token = null;
    for (JsonNode u : root.path("users")) {
      if (u.path("name").asString("").equals(user)) {
        token = u.path("user").path("token").asString(null);
      }
    }
    if (server == null || server.isEmpty()) {
      throw new IOException(path + ": the current context \"" + context + "\" names no cluster server");
    }
    return new Target(server, token, ca);
  }
}
