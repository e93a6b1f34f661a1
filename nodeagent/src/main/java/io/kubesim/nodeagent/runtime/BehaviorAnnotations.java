package io.kubesim.nodeagent.runtime;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code kubesim.io/<field>.<container>} pod annotations into a
 * {@link ContainerBehavior} per container. One family, one grammar: durations are Go durations
 * ("30s", "1m30s", "500ms"), sizes are Kubernetes quantities ("300Mi"), probe outcomes are
 * {@code pass}, {@code fail}, {@code fail-after=<duration>} or {@code pass-after=<duration>}.
 * A value that does not parse is reported (the kubelet turns it into a Warning event and a log
 * line naming the annotation) and ignored.
 */
public final class BehaviorAnnotations {

  public static final String PREFIX = "kubesim.io/";

  public static final String EXIT_AFTER = "exit-after";
  public static final String EXIT_CODE = "exit-code";
  public static final String START_DELAY = "start-delay";
  public static final String MEMORY_USAGE = "memory-usage";
  public static final String READINESS = "readiness";
  public static final String LIVENESS = "liveness";
  public static final String STARTUP = "startup";
  public static final String SIGTERM = "sigterm";
  public static final String IMAGE_PULL = "image-pull";

  public static final List<String> FIELDS = List.of(EXIT_AFTER, EXIT_CODE, START_DELAY, MEMORY_USAGE, READINESS,
      LIVENESS, STARTUP, SIGTERM, IMAGE_PULL);

  private BehaviorAnnotations() {}

  /** An annotation that was ignored, and why. */
  public record Problem(String annotation, String message) {}

  public record Parsed(ContainerBehavior behavior, List<Problem> problems) {}

  public static String key(String field, String container) {
    return PREFIX + field + "." + container;
  }

  /** The behaviour of one container. */
  public static Parsed parse(Map<String, String> annotations, String container) {
    List<Problem> problems = new ArrayList<>();
    if (annotations == null || annotations.isEmpty()) {
      return new Parsed(ContainerBehavior.DEFAULT, problems);
    }
    Duration exitAfter = duration(annotations, EXIT_AFTER, container, problems);
    Integer exitCode = null;
    String code = annotations.get(key(EXIT_CODE, container));
    if (code != null) {
      try {
        int c = Integer.parseInt(code.trim());
        if (c < 0 || c > 255) {
          problems.add(new Problem(key(EXIT_CODE, container), "exit code " + c + " is not in 0..255"));
        } else {
          exitCode = c;
        }
      } catch (NumberFormatException e) {
        problems.add(new Problem(key(EXIT_CODE, container), "invalid exit code \"" + code + "\""));
      }
    }
    Duration startDelay = duration(annotations, START_DELAY, container, problems);
    Long memory = null;
    String mem = annotations.get(key(MEMORY_USAGE, container));
    if (mem != null) {
      try {
        BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(mem.trim()));
        if (bytes.signum() < 0) {
          throw new IllegalArgumentException();
        }
        memory = bytes.longValue();
      } catch (RuntimeException e) {
        problems.add(new Problem(key(MEMORY_USAGE, container), "invalid quantity \"" + mem + "\""));
      }
    }
    ContainerBehavior.ProbeOutcome readiness = probe(annotations, READINESS, container, problems);
    ContainerBehavior.ProbeOutcome liveness = probe(annotations, LIVENESS, container, problems);
    ContainerBehavior.ProbeOutcome startup = probe(annotations, STARTUP, container, problems);
    ContainerBehavior.Sigterm sigterm = null;
    String term = annotations.get(key(SIGTERM, container));
    if (term != null) {
      String t = term.trim();
      if (t.equals("exit")) {
        sigterm = new ContainerBehavior.Sigterm(ContainerBehavior.Sigterm.Kind.EXIT, null);
      } else if (t.equals("ignore")) {
        sigterm = new ContainerBehavior.Sigterm(ContainerBehavior.Sigterm.Kind.IGNORE, null);
      } else if (t.startsWith("exit-after=")) {
        Duration d = goDuration(t.substring("exit-after=".length()), key(SIGTERM, container), problems);
        if (d != null) {
          sigterm = new ContainerBehavior.Sigterm(ContainerBehavior.Sigterm.Kind.EXIT_AFTER, d);
        }
      } else {
        problems.add(new Problem(key(SIGTERM, container),
            "unknown value \"" + term + "\" (use exit, ignore or exit-after=<duration>)"));
      }
    }
    ContainerBehavior.ImagePull pull = null;
    String p = annotations.get(key(IMAGE_PULL, container));
    if (p != null) {
      if (p.trim().equals("fail")) {
        pull = new ContainerBehavior.ImagePull(true, null);
      } else {
        Duration d = goDuration(p.trim(), key(IMAGE_PULL, container), problems);
        if (d != null) {
          pull = new ContainerBehavior.ImagePull(false, d);
        }
      }
    }
    return new Parsed(new ContainerBehavior(exitAfter, exitCode, startDelay, memory, readiness, liveness, startup,
        sigterm, pull), problems);
  }

  /** Annotations of the family that name a container the pod does not have. */
  public static List<Problem> unknownContainers(Map<String, String> annotations, Collection<String> containers) {
    List<Problem> problems = new ArrayList<>();
    if (annotations == null) {
      return problems;
    }
    for (String k : annotations.keySet()) {
      if (!k.startsWith(PREFIX)) {
        continue;
      }
      String rest = k.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      if (dot < 0) {
        continue;
      }
      String field = rest.substring(0, dot);
      String container = rest.substring(dot + 1);
      if (FIELDS.contains(field) && !containers.contains(container)) {
        problems.add(new Problem(k, "the pod has no container \"" + container + "\""));
      }
    }
    return problems;
  }

  private static Duration duration(Map<String, String> a, String field, String container, List<Problem> problems) {
    String v = a.get(key(field, container));
    return v == null ? null : goDuration(v.trim(), key(field, container), problems);
  }

  private static ContainerBehavior.ProbeOutcome probe(Map<String, String> a, String field, String container,
      List<Problem> problems) {
    String v = a.get(key(field, container));
    if (v == null) {
      return null;
    }
    String t = v.trim();
    String key = key(field, container);
    if (t.equals("pass")) {
      return new ContainerBehavior.ProbeOutcome(ContainerBehavior.ProbeOutcome.Kind.PASS, null);
    }
    if (t.equals("fail")) {
      return new ContainerBehavior.ProbeOutcome(ContainerBehavior.ProbeOutcome.Kind.FAIL, null);
    }
    if (t.startsWith("fail-after=") || t.startsWith("pass-after=")) {
      Duration d = goDuration(t.substring(t.indexOf('=') + 1), key, problems);
      if (d == null) {
        return null;
      }
      return new ContainerBehavior.ProbeOutcome(t.startsWith("fail") ? ContainerBehavior.ProbeOutcome.Kind.FAIL_AFTER
          : ContainerBehavior.ProbeOutcome.Kind.PASS_AFTER, d);
    }
    problems.add(new Problem(key, "unknown value \"" + v
        + "\" (use pass, fail, fail-after=<duration> or pass-after=<duration>)"));
    return null;
  }

  private static Duration goDuration(String s, String key, List<Problem> problems) {
    try {
      Duration d = parseGoDuration(s);
      if (d.isNegative()) {
        problems.add(new Problem(key, "negative duration \"" + s + "\""));
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(key, e.getMessage()));
      return null;
    }
  }

  /**
   * Go's time.ParseDuration: a sequence of decimal numbers with units ns, us (µs), ms, s, m, h;
   * "0" alone is allowed. Errors carry Go's messages.
   */
  public static Duration parseGoDuration(String s) {
    String orig = s;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
    }
    boolean neg = false;
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i >= s.length()) {
      throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String num = s.substring(start, i);
      if (num.isEmpty() || num.equals(".") || num.chars().filter(c -> c == '.').count() > 1) {
        throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
      }
      int ustart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(ustart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
      }
      long mult = switch (unit) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \""
            + orig + "\"");
      };
      totalNanos = totalNanos.add(new BigDecimal(num).multiply(BigDecimal.valueOf(mult)));
    }
    long nanos = totalNanos.longValue();
    return Duration.ofNanos(neg ? -nanos : nanos);
  }
}
