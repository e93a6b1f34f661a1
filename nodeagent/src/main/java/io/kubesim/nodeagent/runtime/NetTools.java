package io.kubesim.nodeagent.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The network commands of the simulated shell, answered from the node's {@link ClusterDns}:
 * {@code nslookup} (busybox), {@code getent hosts} (glibc/musl), {@code host} (bind), {@code ping}
 * (busybox), {@code wget} (busybox) and {@code curl}. Names are resolved with the search path and
 * ndots of the container's /etc/resolv.conf.
 *
 * <p>A connection to a Service with ready endpoints succeeds with a one-line simulated HTTP 200
 * body naming the pod that answered; a Service without ready endpoints refuses it (kube-proxy's
 * REJECT rule); an address nothing listens on, or a port the Service does not have, times out
 * after the command's timeout (or Linux's 127 s connect timeout).
 */
final class NetTools {

  /** What a command printed and its exit status; with {@code delay}, it prints and ends only after that long. */
  record Outcome(String out, String err, int code, Duration delay) {
    static Outcome now(String out, String err, int code) {
      return new Outcome(out, err, code, null);
    }
  }

  /** Linux's TCP connect timeout with the default tcp_syn_retries (6): about 127 seconds. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(127);

  private final ClusterDns dns;
  private final ContainerFs fs;
  private final String cwd;
  private final IntUnaryOperator pick;

  /** @param pick chooses one of n backends (0..n-1), from the run's seeded generator */
  NetTools(ClusterDns dns, ContainerFs fs, String cwd, IntUnaryOperator pick) {
    this.dns = dns == null ? new ClusterDns() : dns;
    this.fs = fs;
    this.cwd = cwd;
    this.pick = pick;
  }

  // ---------------------------------------------------------------- resolv.conf

  private List<String> search() {
    List<String> out = new ArrayList<>();
    String conf = fs == null ? null : fs.read("/etc/resolv.conf");
    if (conf != null) {
      for (String line : conf.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 1 && (f[0].equals("search") || f[0].equals("domain"))) {
          out.clear();
          for (int i = 1; i < f.length; i++) {
            out.add(f[i]);
          }
        }
      }
    }
    return out;
  }

  private int ndots() {
    String conf = fs == null ? null : fs.read("/etc/resolv.conf");
    if (conf != null) {
      for (String line : conf.split("\n")) {
        String t = line.trim();
        if (t.startsWith("options")) {
          for (String o : t.split("\\s+")) {
            if (o.startsWith("ndots:")) {
              try {
                return Integer.parseInt(o.substring(6));
              } catch (NumberFormatException e) {
                return 1;
              }
            }
          }
        }
      }
    }
    return 1;
  }

  private String nameserver() {
    String conf = fs == null ? null : fs.read("/etc/resolv.conf");
    if (conf != null) {
      for (String line : conf.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 1 && f[0].equals("nameserver")) {
          return f[1];
        }
      }
    }
    return ClusterDns.NAMESERVER;
  }

  /** Where a connection goes; nothing is taken to listen on the container's own loopback. */
  private ClusterDns.Connection connect(String ip, int port) {
    if (ip.startsWith("127.")) {
      return new ClusterDns.Connection(ClusterDns.Reach.REFUSED, null, null, 0);
    }
    return dns.connect(ip, port, pick);
  }

  /** An address as it is, or the name's answer. */
  private ClusterDns.Answer resolve(String name) {
    if (ClusterDns.isIpv4(name)) {
      return new ClusterDns.Answer(name, List.of(name), null);
    }
    if (name.equals("localhost")) {
      return new ClusterDns.Answer(name, List.of("127.0.0.1"), null);
    }
    return dns.lookup(name, search(), ndots());
  }

  // ---------------------------------------------------------------- nslookup, getent, host

  /** busybox nslookup: both queries (A and AAAA) of a missing name report NXDOMAIN; exit 1. */
  Outcome nslookup(List<String> args) {
    List<String> names = args.stream().filter(a -> !a.startsWith("-")).toList();
    if (names.isEmpty()) {
      return Outcome.now("", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
          + "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n", 1);
    }
    String name = names.get(0);
    String server = names.size() > 1 ? names.get(1) : nameserver();
    StringBuilder out = new StringBuilder("Server:\t\t" + server + "\nAddress:\t" + server + ":53\n\n");
    ClusterDns.Answer a = resolve(name);
    if (!a.found()) {
      String shown = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      out.append("** server can't find ").append(shown).append(": NXDOMAIN\n\n");
      out.append("** server can't find ").append(shown).append(": NXDOMAIN\n\n");
      return Outcome.now(out.toString(), "", 1);
    }
    if (a.canonicalName() != null) {
      out.append(a.name()).append("\tcanonical name = ").append(a.canonicalName()).append("\n\n");
      return Outcome.now(out.toString(), "", 0);
    }
    for (String ip : a.addresses()) {
      out.append("Name:\t").append(a.name()).append("\nAddress: ").append(ip).append('\n');
    }
    out.append('\n');
    return Outcome.now(out.toString(), "", 0);
  }

  /** getent hosts NAME: "ADDRESS        NAME" per address; exit 2 when the name is not found. */
  Outcome getent(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("hosts") && !args.get(0).equals("ahostsv4")) {
      return Outcome.now("", "Unknown database: " + (args.isEmpty() ? "" : args.get(0)) + "\n", 1);
    }
    if (args.size() < 2) {
      return Outcome.now("", "", 0);
    }
    StringBuilder out = new StringBuilder();
    int code = 0;
    for (String name : args.subList(1, args.size())) {
      ClusterDns.Answer a = resolve(name);
      if (!a.found() || a.addresses().isEmpty()) {
        code = 2;
        continue;
      }
      for (String ip : a.addresses()) {
        out.append(String.format("%-15s %s%n", ip, ClusterDns.isIpv4(name) ? name : a.name()));
      }
    }
    return Outcome.now(out.toString(), "", code);
  }

  /** bind's host NAME. */
  Outcome host(List<String> args) {
    List<String> names = args.stream().filter(a -> !a.startsWith("-")).toList();
    if (names.isEmpty()) {
      return Outcome.now("", "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n", 1);
    }
    String name = names.get(0);
    if (ClusterDns.isIpv4(name)) {
      String back = dns.reverse(name);
      if (back == null) {
        return Outcome.now("Host " + reverseName(name) + " not found: 3(NXDOMAIN)\n", "", 1);
      }
      return Outcome.now(reverseName(name) + " domain name pointer " + back + ".\n", "", 0);
    }
    ClusterDns.Answer a = resolve(name);
    if (!a.found()) {
      return Outcome.now("Host " + name + " not found: 3(NXDOMAIN)\n", "", 1);
    }
    if (a.canonicalName() != null) {
      return Outcome.now(a.name() + " is an alias for " + a.canonicalName() + ".\n", "", 0);
    }
    StringBuilder out = new StringBuilder();
    for (String ip : a.addresses()) {
      out.append(a.name()).append(" has address ").append(ip).append('\n');
    }
    return Outcome.now(out.toString(), "", 0);
  }

  private static String reverseName(String ip) {
    String[] p = ip.split("\\.");
    return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa";
  }

  // ---------------------------------------------------------------- ping

  /**
   * busybox ping -c N: a Service's ClusterIP and the endpoints' addresses answer (as with
   * kube-proxy in IPVS mode, where ClusterIPs are bound to a local interface); anything else loses
   * every packet. One packet a second; the summary comes after the last one.
   */
  Outcome ping(List<String> args) {
    int count = -1;
    String target = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-c") || a.equals("-W") || a.equals("-w") || a.equals("-s") || a.equals("-i"))
          && i + 1 < args.size()) {
        if (a.equals("-c")) {
          count = parse(args.get(i + 1), 1);
        }
        i++;
      } else if (a.startsWith("-c") && a.length() > 2) {
        count = parse(a.substring(2), 1);
      } else if (!a.startsWith("-")) {
        target = a;
      }
    }
    if (target == null) {
      return Outcome.now("", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
          + "Usage: ping [OPTIONS] HOST\n", 1);
    }
    ClusterDns.Answer a = resolve(target);
    if (!a.found() || a.addresses().isEmpty()) {
      return Outcome.now("", "ping: bad address '" + target + "'\n", 1);
    }
    String ip = a.addresses().get(0);
    boolean answers = ip.equals("127.0.0.1") || dns.answersPing(ip);
    int n = count < 0 ? Integer.MAX_VALUE : Math.max(1, count);
    StringBuilder out = new StringBuilder("PING " + target + " (" + ip + "): 56 data bytes\n");
    if (n == Integer.MAX_VALUE) {
      // Without -c ping goes on until it is stopped.
      if (answers) {
        out.append("64 bytes from ").append(ip).append(": seq=0 ttl=64 time=0.081 ms\n");
      }
      return new Outcome(out.toString(), "", 0, Duration.ofDays(36500));
    }
    for (int i = 0; answers && i < n; i++) {
      out.append("64 bytes from ").append(ip).append(": seq=").append(i).append(" ttl=64 time=0.081 ms\n");
    }
    out.append("\n--- ").append(target).append(" ping statistics ---\n").append(n).append(" packets transmitted, ")
        .append(answers ? n : 0).append(" packets received, ").append(answers ? 0 : 100).append("% packet loss\n");
    if (answers) {
      out.append("round-trip min/avg/max = 0.081/0.081/0.081 ms\n");
    }
    Duration took = Duration.ofSeconds(answers ? n - 1 : n);
    return new Outcome(out.toString(), "", answers ? 0 : 1, took.isZero() ? null : took);
  }

  // ---------------------------------------------------------------- wget, curl

  private record Url(String host, int port, String path) {}

  private static Url url(String s) {
    String rest = s;
    int scheme = rest.indexOf("://");
    int defaultPort = 80;
    if (scheme >= 0) {
      if (rest.substring(0, scheme).equalsIgnoreCase("https")) {
        defaultPort = 443;
      }
      rest = rest.substring(scheme + 3);
    }
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "/" : rest.substring(slash);
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0) {
      return new Url(hostPort.substring(0, colon), parse(hostPort.substring(colon + 1), defaultPort), path);
    }
    return new Url(hostPort, defaultPort, path);
  }

  private static String body(ClusterDns.Connection c, Url u) {
    return "kubesim: HTTP 200 OK for " + u.path() + " from pod " + c.backendPod() + " (" + c.backendAddress() + ":"
        + c.backendPort() + ")\n";
  }

  /** busybox wget [-q] [-O FILE|-] [-T SEC] [--spider] URL. */
  Outcome wget(List<String> args) {
    boolean quiet = false;
    boolean spider = false;
    String output = null;
    Duration timeout = null;
    String target = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-O") && i + 1 < args.size()) {
        output = args.get(++i);
      } else if (a.startsWith("-O") && a.length() > 2) {
        output = a.substring(2);
      } else if (a.equals("-qO") && i + 1 < args.size()) {
        quiet = true;
        output = args.get(++i);
      } else if (a.startsWith("-qO")) {
        quiet = true;
        output = a.substring(3);
      } else if (a.equals("-T") && i + 1 < args.size()) {
        timeout = Duration.ofSeconds(parse(args.get(++i), 127));
      } else if (a.startsWith("--timeout=")) {
        timeout = Duration.ofSeconds(parse(a.substring(10), 127));
      } else if (a.equals("-q") || a.equals("--quiet")) {
        quiet = true;
      } else if (a.equals("--spider")) {
        spider = true;
      } else if (!a.startsWith("-")) {
        target = a;
      }
    }
    if (target == null) {
      return Outcome.now("", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
          + "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] "
          + "[-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n", 1);
    }
    Url u = url(target);
    ClusterDns.Answer a = resolve(u.host());
    if (!a.found() || a.addresses().isEmpty()) {
      return Outcome.now("", "wget: bad address '" + u.host() + "'\n", 1);
    }
    String ip = a.addresses().get(0);
    StringBuilder err = new StringBuilder();
    if (!quiet) {
      err.append("Connecting to ").append(u.host()).append(" (").append(ip).append(':').append(u.port()).append(")\n");
    }
    ClusterDns.Connection c = connect(ip, u.port());
    if (c.reach() == ClusterDns.Reach.REFUSED) {
      err.append("wget: can't connect to remote host (").append(ip).append("): Connection refused\n");
      return Outcome.now("", err.toString(), 1);
    }
    if (c.reach() == ClusterDns.Reach.TIMEOUT) {
      if (timeout != null && timeout.compareTo(CONNECT_TIMEOUT) < 0) {
        err.append("wget: download timed out\n");
        return new Outcome("", err.toString(), 1, timeout);
      }
      err.append("wget: can't connect to remote host (").append(ip).append("): Connection timed out\n");
      return new Outcome("", err.toString(), 1, CONNECT_TIMEOUT);
    }
    if (spider) {
      if (!quiet) {
        err.append("remote file exists\n");
      }
      return Outcome.now("", err.toString(), 0);
    }
    String text = body(c, u);
    if (output != null && output.equals("-")) {
      if (!quiet) {
        err.append("writing to stdout\n");
      }
      String tail = quiet ? "" : "written to stdout\n";
      return Outcome.now(text, err + tail, 0);
    }
    String file = output != null ? output : fileName(u.path());
    if (!quiet) {
      err.append("saving to '").append(file).append("'\n");
    }
    String werr = fs == null ? null : fs.write(ContainerFs.normalize(cwd, file), text, false);
    if (werr != null) {
      return Outcome.now("", err + "wget: can't open '" + file + "': " + werr + "\n", 1);
    }
    if (!quiet) {
      err.append("'").append(file).append("' saved\n");
    }
    return Outcome.now("", err.toString(), 0);
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    String last = slash < 0 ? path : path.substring(slash + 1);
    int q = last.indexOf('?');
    if (q >= 0) {
      last = last.substring(0, q);
    }
    return last.isEmpty() ? "index.html" : last;
  }

  /** curl [-s] [-S] [-f] [-I] [-o FILE] [-m SEC] [--connect-timeout SEC] URL. */
  Outcome curl(List<String> args) {
    boolean silent = false;
    boolean showError = false;
    boolean head = false;
    String output = null;
    Duration timeout = null;
    String target = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.size()) {
        output = args.get(++i);
      } else if ((a.equals("-m") || a.equals("--max-time") || a.equals("--connect-timeout")) && i + 1 < args.size()) {
        timeout = Duration.ofSeconds(parse(args.get(++i), 127));
      } else if (a.equals("-I") || a.equals("--head")) {
        head = true;
      } else if (a.startsWith("--")) {
        silent |= a.equals("--silent");
        showError |= a.equals("--show-error");
      } else if (a.startsWith("-") && a.length() > 1) {
        silent |= a.contains("s");
        showError |= a.contains("S");
        head |= a.contains("I");
      } else {
        target = a;
      }
    }
    boolean errors = !silent || showError;
    if (target == null) {
      return Outcome.now("", "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
    }
    Url u = url(target);
    ClusterDns.Answer a = resolve(u.host());
    if (!a.found() || a.addresses().isEmpty()) {
      return Outcome.now("", errors ? "curl: (6) Could not resolve host: " + u.host() + "\n" : "", 6);
    }
    String ip = a.addresses().get(0);
    ClusterDns.Connection c = connect(ip, u.port());
    if (c.reach() == ClusterDns.Reach.REFUSED) {
      return Outcome.now("", errors ? "curl: (7) Failed to connect to " + u.host() + " port " + u.port()
          + " after 0 ms: Couldn't connect to server\n" : "", 7);
    }
    if (c.reach() == ClusterDns.Reach.TIMEOUT) {
      if (timeout != null && timeout.compareTo(CONNECT_TIMEOUT) < 0) {
        return new Outcome("", errors ? "curl: (28) Failed to connect to " + u.host() + " port " + u.port()
            + " after " + timeout.toMillis() + " ms: Timeout was reached\n" : "", 28, timeout);
      }
      return new Outcome("", errors ? "curl: (7) Failed to connect to " + u.host() + " port " + u.port() + " after "
          + CONNECT_TIMEOUT.toMillis() + " ms: Couldn't connect to server\n" : "", 7, CONNECT_TIMEOUT);
    }
    String text = body(c, u);
    if (head) {
      text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + text.length() + "\r\n\r\n";
    }
    if (output != null && !output.equals("-")) {
      String werr = fs == null ? null : fs.write(ContainerFs.normalize(cwd, output), text, false);
      if (werr != null) {
        return Outcome.now("", errors ? "curl: (23) Failure writing output to destination\n" : "", 23);
      }
      return Outcome.now("", "", 0);
    }
    return Outcome.now(text, "", 0);
  }

  private static int parse(String s, int dflt) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
