package io.kubesim.nodeagent.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the simulation knows about container images: how containerd names them
 * ({@code nginx} is {@code docker.io/library/nginx:latest}), their digests (derived from the
 * name, so stable from run to run), their sizes, and what a container of a well-known image runs
 * when the pod gives no command (its ENTRYPOINT and CMD).
 *
 * <p>Images not in the table are taken to be servers: with no command, their container runs until
 * it is stopped.
 */
public final class Images {

  private Images() {}

  /** What an image runs by default, and how big it is. */
  public record Profile(List<String> entrypoint, List<String> cmd, long sizeBytes) {}

  /** A long-running server: its entrypoint is not simulated, so the container runs until stopped. */
  private static Profile server(String binary, long size) {
    return new Profile(List.of(binary), List.of(), size);
  }

  /**
   * Known images by repository name (the last path element). Sizes are the compressed sizes the
   * kubelet reports in node status, rounded from the images' amd64 manifests.
   */
  private static final Map<String, Profile> KNOWN = Map.ofEntries(
      Map.entry("nginx", new Profile(List.of("/docker-entrypoint.sh"), List.of("nginx", "-g", "daemon off;"),
          72_195_292)),
      Map.entry("httpd", new Profile(List.of(), List.of("httpd-foreground"), 58_600_000)),
      Map.entry("redis", new Profile(List.of("docker-entrypoint.sh"), List.of("redis-server"), 45_000_000)),
      Map.entry("memcached", server("memcached", 32_000_000)),
      Map.entry("postgres", new Profile(List.of("docker-entrypoint.sh"), List.of("postgres"), 158_000_000)),
      Map.entry("mysql", new Profile(List.of("docker-entrypoint.sh"), List.of("mysqld"), 170_000_000)),
      Map.entry("mariadb", new Profile(List.of("docker-entrypoint.sh"), List.of("mariadbd"), 120_000_000)),
      Map.entry("mongo", new Profile(List.of("docker-entrypoint.sh"), List.of("mongod"), 250_000_000)),
      Map.entry("rabbitmq", new Profile(List.of("docker-entrypoint.sh"), List.of("rabbitmq-server"), 100_000_000)),
      Map.entry("traefik", server("/entrypoint.sh", 50_000_000)),
      Map.entry("haproxy", server("docker-entrypoint.sh", 40_000_000)),
      Map.entry("caddy", server("caddy", 20_000_000)),
      Map.entry("pause", server("/pause", 320_368)),
      Map.entry("etcd", server("etcd", 58_938_593)),
      Map.entry("kube-apiserver", server("kube-apiserver", 27_063_000)),
      Map.entry("kube-controller-manager", server("kube-controller-manager", 21_819_000)),
      Map.entry("kube-scheduler", server("kube-scheduler", 15_777_000)),
      Map.entry("kube-proxy", server("/usr/local/bin/kube-proxy", 30_896_000)),
      Map.entry("coredns", server("/coredns", 22_384_805)),
      Map.entry("agnhost", server("/agnhost", 51_000_000)),
      Map.entry("busybox", new Profile(List.of(), List.of("sh"), 2_155_010)),
      Map.entry("alpine", new Profile(List.of(), List.of("/bin/sh"), 3_653_068)),
      Map.entry("ubuntu", new Profile(List.of(), List.of("/bin/bash"), 29_754_290)),
      Map.entry("debian", new Profile(List.of(), List.of("bash"), 48_480_000)),
      Map.entry("centos", new Profile(List.of(), List.of("/bin/bash"), 75_000_000)),
      Map.entry("fedora", new Profile(List.of(), List.of("/bin/bash"), 60_000_000)),
      Map.entry("rockylinux", new Profile(List.of(), List.of("/bin/bash"), 70_000_000)),
      Map.entry("amazonlinux", new Profile(List.of(), List.of("/bin/bash"), 55_000_000)),
      Map.entry("python", new Profile(List.of(), List.of("python3"), 375_000_000)),
      Map.entry("node", new Profile(List.of("docker-entrypoint.sh"), List.of("node"), 390_000_000)),
      Map.entry("perl", new Profile(List.of(), List.of("perl"), 330_000_000)),
      Map.entry("ruby", new Profile(List.of(), List.of("irb"), 350_000_000)),
      Map.entry("openjdk", new Profile(List.of(), List.of("jshell"), 320_000_000)),
      Map.entry("eclipse-temurin", new Profile(List.of(), List.of("jshell"), 190_000_000)),
      Map.entry("hello-world", new Profile(List.of(), List.of("/hello"), 3_208)),
      Map.entry("curl", new Profile(List.of("/entrypoint.sh"), List.of("curl"), 11_000_000)));

  /** Programs that, run with no script, read commands from stdin: without a terminal they see EOF and exit 0. */
  static final java.util.Set<String> INTERACTIVE = java.util.Set.of("sh", "bash", "ash", "dash", "zsh", "python",
      "python3", "node", "perl", "irb", "jshell", "php");

  /** The image's profile, or null for an image the simulation does not know (a server). */
  public static Profile profile(String image) {
    return KNOWN.get(shortName(image));
  }

  /** Size in bytes: the table's, or a stable size derived from the name (between 5 and 200 MB). */
  public static long size(String image) {
    Profile p = profile(image);
    if (p != null) {
      return p.sizeBytes();
    }
    long h = Math.abs(digestLong(normalize(image)));
    return 5_000_000L + h % 195_000_000L;
  }

  /** The repository's last path element without tag or digest: "nginx" for "docker.io/library/nginx:1.27". */
  public static String shortName(String image) {
    String repo = repository(normalize(image));
    int slash = repo.lastIndexOf('/');
    return slash >= 0 ? repo.substring(slash + 1) : repo;
  }

  /**
   * containerd's fully qualified name: registry docker.io when none is given, "library/" for
   * official images, tag "latest" when neither tag nor digest is given.
   */
  public static String normalize(String image) {
    String name = image.trim();
    String digest = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = name.substring(at);
      name = name.substring(0, at);
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (!hasRegistry) {
      name = (slash < 0 ? "docker.io/library/" : "docker.io/") + name;
    }
    int lastSlash = name.lastIndexOf('/');
    boolean hasTag = name.indexOf(':', lastSlash) >= 0;
    if (!hasTag && digest.isEmpty()) {
      name = name + ":latest";
    }
    return name + digest;
  }

  /** The repository part of a normalized name: no tag, no digest. */
  public static String repository(String normalized) {
    String name = normalized;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int lastSlash = name.lastIndexOf('/');
    int colon = name.indexOf(':', lastSlash);
    return colon >= 0 ? name.substring(0, colon) : name;
  }

  /** The image's config digest, "sha256:...", as containerd reports an image id. */
  public static String imageId(String image) {
    return "sha256:" + sha256Hex("config:" + repository(normalize(image)) + ":" + tagOf(image));
  }

  /** The repo digest a container status reports as imageID: "docker.io/library/nginx@sha256:...". */
  public static String repoDigest(String image) {
    String n = normalize(image);
    int at = n.indexOf('@');
    if (at >= 0) {
      return n;
    }
    return repository(n) + "@sha256:" + sha256Hex("manifest:" + n);
  }

  private static String tagOf(String image) {
    String n = normalize(image);
    int at = n.indexOf('@');
    if (at >= 0) {
      return n.substring(at + 1);
    }
    return n.substring(n.indexOf(':', n.lastIndexOf('/')) + 1);
  }

  static String sha256Hex(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long digestLong(String s) {
    String hex = sha256Hex(s);
    return Long.parseUnsignedLong(hex.substring(0, 15), 16);
  }
}
