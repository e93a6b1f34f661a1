package io.kubesim.shared.log;

import io.kubesim.shared.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's logger, writing klog-shaped structured lines stamped with virtual time:
 *
 * <pre>I0101 00:01:40.000000 node-lifecycle] "Node is unresponsive" node="w3-k8s"</pre>
 *
 * A constant, capitalised message in quotes, then key="value" pairs. As in Kubernetes, new and
 * deleted objects are logged at V(1) and decisions at V(2); a sink at a lower verbosity never
 * formats those lines. Each line also goes to the SLF4J logger {@code kubesim.component.<name>},
 * so logback can route it as well.
 */
public final class Klog {
  private final String component;
  private final VirtualClock clock;
  private final LogSink sink;
  private final Logger slf4j;

  public Klog(String component, VirtualClock clock, LogSink sink) {
    this.component = component;
    this.clock = clock;
    this.sink = sink;
    this.slf4j = LoggerFactory.getLogger("kubesim.component." + component);
  }

  public String component() {
    return component;
  }

  /** A logger of the same sink and clock for another component name. */
  public Klog named(String otherComponent) {
    return new Klog(otherComponent, clock, sink);
  }

  public boolean enabled(int v) {
    return v <= sink.verbosity();
  }

  /** V(0) information. */
  public void info(String message, Object... keysAndValues) {
    write('I', 0, message, keysAndValues);
  }

  /** Information at verbosity {@code v}. */
  public void v(int v, String message, Object... keysAndValues) {
    if (enabled(v)) {
      write('I', v, message, keysAndValues);
    }
  }

  public void warning(String message, Object... keysAndValues) {
    write('W', 0, message, keysAndValues);
  }

  public void error(String message, Object... keysAndValues) {
    write('E', 0, message, keysAndValues);
  }

  private void write(char severity, int v, String message, Object[] kv) {
    if (!enabled(v)) {
      return;
    }
    long nanos = clock.nanos();
    StringBuilder sb = new StringBuilder(96);
    sb.append(severity).append(timestamp(clock.epoch().plusNanos(nanos))).append(' ').append(component).append("] ");
    quote(sb, message);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      sb.append(' ').append(kv[i]).append('=');
      value(sb, kv[i + 1]);
    }
    String text = sb.toString();
    sink.accept(new LogLine(nanos, component, severity, v, text));
    if (severity == 'E' ? slf4j.isErrorEnabled() : severity == 'W' ? slf4j.isWarnEnabled() : slf4j.isInfoEnabled()) {
      if (severity == 'E') {
        slf4j.error(text);
      } else if (severity == 'W') {
        slf4j.warn(text);
      } else {
        slf4j.info(text);
      }
    }
  }

  /** klog's header time, "MMdd HH:mm:ss.uuuuuu", in UTC. */
  public static String timestamp(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(21);
    two(sb, z.getMonthValue());
    two(sb, z.getDayOfMonth());
    sb.append(' ');
    two(sb, z.getHour());
    sb.append(':');
    two(sb, z.getMinute());
    sb.append(':');
    two(sb, z.getSecond());
    sb.append('.');
    String micros = Integer.toString(z.getNano() / 1000);
    sb.append("000000", 0, 6 - micros.length()).append(micros);
    return sb.toString();
  }

  private static void two(StringBuilder sb, int n) {
    if (n < 10) {
      sb.append('0');
    }
    sb.append(n);
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("<nil>");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Duration d) {
      quote(sb, goDuration(d));
    } else {
      quote(sb, v.toString());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Go's time.Duration.String(): "5m0s", "40s", "1h0m0s", "100ms". */
  public static String goDuration(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = -nanos;
    }
    if (nanos < 1_000_000_000L) {
      if (nanos % 1_000_000 == 0) {
        return sb.append(nanos / 1_000_000).append("ms").toString();
      }
      if (nanos % 1_000 == 0) {
        return sb.append(nanos / 1_000).append("µs").toString();
      }
      return sb.append(nanos).append("ns").toString();
    }
    long h = nanos / 3_600_000_000_000L;
    long m = (nanos / 60_000_000_000L) % 60;
    long sNanos = nanos % 60_000_000_000L;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    long s = sNanos / 1_000_000_000L;
    long frac = sNanos % 1_000_000_000L;
    sb.append(s);
    if (frac != 0) {
      String f = String.format("%09d", frac).replaceAll("0+$", "");
      sb.append('.').append(f);
    }
    return sb.append('s').toString();
  }
}
