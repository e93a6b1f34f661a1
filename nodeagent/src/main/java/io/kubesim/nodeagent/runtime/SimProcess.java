package io.kubesim.nodeagent.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simulated process: runs a {@link Script} against a container's environment and filesystem,
 * writing what it prints to the container log, until it sleeps, blocks for good, or exits. The
 * runtime resumes it when its sleep is over, in virtual time.
 *
 * <p>In {@link Mode#MAIN} (a container's own command) an executable the simulation does not know
 * is taken for a long-running server: the process blocks until it is stopped. In
 * {@link Mode#EXEC} ({@code kubectl exec}, exec probes) it is an error with exit code 126.
 */
public final class SimProcess {

  public enum Mode { MAIN, EXEC }

  /** Where the process lives: its clock, its container's name and files, its output. */
  public interface Host {
    Instant now();

    String hostname();

    ContainerFs fs();

    /** One complete line on "stdout" or "stderr". */
    void output(String stream, String line);

    /** What a process printed last without a newline, when it ends or waits; a log keeps it as a line. */
    default void outputPartial(String stream, String text) {
      output(stream, text);
    }

    /** The next value of $RANDOM (0..32767), from the simulation's seeded generator. */
    int random();

    /** The node's view of Services and endpoints, for name lookups and connections; null for none. */
    default ClusterDns dns() {
      return null;
    }
  }

  /** What the process does next. */
  public sealed interface Step {}

  /** Sleeps; call {@link #run()} again when the time is up. */
  public record Sleep(Duration duration) implements Step {}

  /** Blocks until stopped (a server, {@code sleep infinity}, {@code tail -f}). */
  public record Forever() implements Step {}

  public record Exit(int code) implements Step {}

  /** The message of an exec that the simulation cannot answer. */
  public static final String UNSUPPORTED = "command not supported in the simulated container: ";

  /** Instructions run without sleeping before the process is made to yield, so a busy loop cannot hang the simulation. */
  static final int BUDGET = 10_000;
  /** A loop that spends its budget without sleeping resumes after this much virtual time. */
  static final Duration THROTTLE = Duration.ofSeconds(1);

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' yyyy",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Host host;
  private final Mode mode;
  private final Map<String, String> vars = new LinkedHashMap<>();
  private final Set<String> exported = new LinkedHashSet<>();
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Out stdout;
  private final Out stderr;
  private String cwd = "/";
  private int status;
  private Script termTrap;
  private boolean termIgnored;
  private Instant backgroundUntil;
  private boolean backgroundForever;
  private boolean exited;
  /** Blocked in an executable taken for a server, which shuts down cleanly on SIGTERM. */
  private boolean server;
  /** What a command that waited (a connection timing out, ping's packets) prints when the wait ends. */
  private Deferred deferred;

  private record Deferred(Out out, Out err, String outText, String errText, int status) {}

  /** A script being run, with its program counter; a nested {@code sh -c} gets a frame of its own. */
  private static final class Frame {
    final Script script;
    final List<String> positional;
    final boolean subshell;
    final List<List<String>> loops = new ArrayList<>();
    int pc;

    Frame(Script script, List<String> positional, boolean subshell) {
      this.script = script;
      this.positional = positional;
      this.subshell = subshell;
      for (int i = 0; i < script.loopSlots(); i++) {
        loops.add(null);
      }
    }
  }

  /**
   * @param positional $0, $1, ... ({@code sh -c SCRIPT NAME ARGS} gives NAME as $0)
   * @param env the container's environment, in order; every entry is exported
   */
  public SimProcess(Script script, List<String> positional, Map<String, String> env, Mode mode, Host host) {
    this.host = host;
    this.mode = mode;
    for (Map.Entry<String, String> e : env.entrySet()) {
      vars.put(e.getKey(), e.getValue());
      exported.add(e.getKey());
    }
    this.stdout = new Out(line -> host.output("stdout", line), text -> host.outputPartial("stdout", text));
    this.stderr = new Out(line -> host.output("stderr", line), text -> host.outputPartial("stderr", text));
    frames.push(new Frame(script, positional.isEmpty() ? List.of("sh") : positional, false));
  }

  public boolean exited() {
    return exited;
  }

  /** Whether the script has set a handler for SIGTERM (or told the shell to ignore it). */
  public boolean trapsTerm() {
    return termTrap != null || termIgnored;
  }

  /** Runs until the process sleeps, blocks or exits. */
  public Step run() {
    int budget = BUDGET;
    if (deferred != null) {
      Deferred d = deferred;
      deferred = null;
      d.out().write(d.outText());
      d.err().write(d.errText());
      status = d.status();
    }
    while (!frames.isEmpty()) {
      Frame f = frames.peek();
      List<Script.Insn> code = f.script.code();
      if (f.pc >= code.size()) {
        frames.pop();
        continue;
      }
      if (--budget <= 0) {
        flush();
        return new Sleep(THROTTLE);
      }
      Script.Insn insn = code.get(f.pc++);
      if (insn instanceof Script.Run r) {
        Result res = execute(r.command(), new Io(null, stdout, stderr), true);
        if (res instanceof Block b) {
          status = 0;
          flush();
          return b.step();
        } else if (res instanceof ExitNow e) {
          status = e.code();
          if (!exitFrames()) {
            return finish();
          }
        } else if (res instanceof Done d) {
          status = d.status();
        }
      } else if (insn instanceof Script.Jump j) {
        f.pc = j.target();
      } else if (insn instanceof Script.JumpIf j) {
        if ((status != 0) == j.onFailure()) {
          f.pc = j.target();
        }
      } else if (insn instanceof Script.Negate) {
        status = status == 0 ? 1 : 0;
      } else if (insn instanceof Script.ForInit fi) {
        List<String> items = new ArrayList<>();
        for (Script.Word w : fi.items()) {
          items.addAll(expand(w, f));
        }
        f.loops.set(fi.slot(), items);
      } else if (insn instanceof Script.ForNext fn) {
        List<String> items = f.loops.get(fn.slot());
        if (items.isEmpty()) {
          f.pc = fn.end();
        } else {
          vars.put(fn.var(), items.remove(0));
        }
      }
    }
    return finish();
  }

  private Step finish() {
    flush();
    exited = true;
    frames.clear();
    return new Exit(status & 0xff);
  }

  /** Unwinds to the nearest subshell frame; false if the whole process exits. */
  private boolean exitFrames() {
    while (!frames.isEmpty()) {
      Frame f = frames.pop();
      if (f.subshell) {
        return !frames.isEmpty();
      }
    }
    return false;
  }

  /**
   * Delivers SIGTERM. Returns the exit if the process dies of it (143, or what its trap handler
   * exits with), or null if it keeps running (ignored, or the handler returned).
   */
  public Exit terminate() {
    if (termIgnored) {
      return null;
    }
    if (termTrap != null) {
      Io io = new Io(null, stdout, stderr);
      Result r = runNested(termTrap, frames.isEmpty() ? List.of("sh") : frames.peek().positional, io);
      flush();
      if (r instanceof ExitNow e) {
        exited = true;
        frames.clear();
        return new Exit(e.code() & 0xff);
      }
      return null;
    }
    flush();
    exited = true;
    frames.clear();
    return new Exit(server ? 0 : 143);
  }

  public void flush() {
    stdout.flush();
    stderr.flush();
  }

  // ---------------------------------------------------------------- command execution

  private sealed interface Result {}

  private record Done(int status) implements Result {}

  private record Block(Step step) implements Result {}

  private record ExitNow(int code) implements Result {}

  /** A command's standard streams: stdin is text or null (nothing), outputs are line sinks. */
  private record Io(String stdin, Out out, Out err) {}

  /** A line-buffered output: complete lines go on, a partial one waits for its newline. */
  private static final class Out {
    private final java.util.function.Consumer<String> sink;
    private final java.util.function.Consumer<String> partial;
    private final StringBuilder pending = new StringBuilder();

    Out(java.util.function.Consumer<String> sink) {
      this(sink, sink);
    }

    Out(java.util.function.Consumer<String> sink, java.util.function.Consumer<String> partial) {
      this.sink = sink;
      this.partial = partial;
    }

    void write(String text) {
      pending.append(text);
      int nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        sink.accept(pending.substring(0, nl));
        pending.delete(0, nl + 1);
      }
    }

    void flush() {
      if (pending.length() > 0) {
        partial.accept(pending.toString());
        pending.setLength(0);
      }
    }
  }

  /** Collects output as text (command substitution, pipes, redirection to a file). */
  private static Out collector(StringBuilder into) {
    return new Out(line -> into.append(line).append('\n'), into::append);
  }

  private Result execute(Script.Node node, Io io, boolean mayBlock) {
    if (node instanceof Script.Simple s) {
      return simple(s, io, mayBlock);
    }
    if (node instanceof Script.Background b) {
      return background(b.inner());
    }
    if (node instanceof Script.Pipe p) {
      String input = io.stdin();
      Result last = new Done(0);
      for (int i = 0; i < p.stages().size(); i++) {
        boolean lastStage = i == p.stages().size() - 1;
        StringBuilder captured = new StringBuilder();
        Out out = lastStage ? io.out() : collector(captured);
        last = execute(p.stages().get(i), new Io(input, out, io.err()), mayBlock && lastStage);
        out.flush();
        if (last instanceof Block || last instanceof ExitNow) {
          return last;
        }
        input = captured.toString();
      }
      return last;
    }
    // A compound command in a pipeline: run it to completion without blocking.
    SimProcess child = fork(io);
    child.frames.clear();
    child.frames.push(new Frame(Script.of(node), frames.isEmpty() ? List.of("sh") : frames.peek().positional, true));
    Step st = child.runToEnd();
    child.flush();
    return st instanceof Exit e ? new Done(e.code()) : new Done(0);
  }

  /** Runs without blocking: sleeps are skipped, a block for good ends the run. */
  private Step runToEnd() {
    for (int i = 0; i < 1000; i++) {
      Step st = run();
      if (!(st instanceof Sleep)) {
        return st;
      }
    }
    return new Forever();
  }

  private SimProcess fork(Io io) {
    SimProcess child = new SimProcess(Script.parse("true"), List.of("sh"), Map.of(), mode, new Host() {
      @Override
      public Instant now() {
        return host.now();
      }

      @Override
      public String hostname() {
        return host.hostname();
      }

      @Override
      public ContainerFs fs() {
        return host.fs();
      }

      @Override
      public void output(String stream, String line) {
        (stream.equals("stderr") ? io.err() : io.out()).write(line + "\n");
      }

      @Override
      public void outputPartial(String stream, String text) {
        (stream.equals("stderr") ? io.err() : io.out()).write(text);
      }

      @Override
      public int random() {
        return host.random();
      }

      @Override
      public ClusterDns dns() {
        return host.dns();
      }
    });
    child.vars.putAll(vars);
    child.exported.addAll(exported);
    child.cwd = cwd;
    return child;
  }

  private Result runNested(Script script, List<String> positional, Io io) {
    SimProcess child = fork(io);
    child.frames.clear();
    child.frames.push(new Frame(script, positional, true));
    Step st = child.runToEnd();
    child.flush();
    vars.putAll(child.vars);
    exported.addAll(child.exported);
    if (st instanceof Exit e) {
      return new ExitNow(e.code());
    }
    return new Done(0);
  }

  private Result background(Script.Node inner) {
    if (inner instanceof Script.Simple s) {
      List<String> argv = expandAll(s.words());
      if (!argv.isEmpty() && base(argv.get(0)).equals("sleep")) {
        Duration d = sleepDuration(argv.subList(1, argv.size()));
        if (d == null) {
          backgroundForever = true;
        } else {
          Instant until = host.now().plus(d);
          if (backgroundUntil == null || until.isAfter(backgroundUntil)) {
            backgroundUntil = until;
          }
        }
        return new Done(0);
      }
    }
    // Anything else in the background is taken to run for good (a server started with &).
    backgroundForever = true;
    return new Done(0);
  }

  private Result simple(Script.Simple s, Io io, boolean mayBlock) {
    Frame f = frames.isEmpty() ? null : frames.peek();
    List<String> argv = new ArrayList<>();
    Map<String, String> assignments = new LinkedHashMap<>();
    boolean commandSeen = false;
    for (Script.Word w : s.words()) {
      String plain = w.plain();
      if (!commandSeen && plain != null && isAssignment(plain)) {
        int eq = plain.indexOf('=');
        assignments.put(plain.substring(0, eq), String.join("", expandNoSplit(w, f)).substring(eq + 1));
        continue;
      }
      if (!commandSeen && plain == null && assignmentPrefix(w) != null) {
        String name = assignmentPrefix(w);
        String value = String.join("", expandNoSplit(w, f));
        assignments.put(name, value.substring(name.length() + 1));
        continue;
      }
      commandSeen = true;
      argv.addAll(expand(w, f));
    }
    if (argv.isEmpty()) {
      vars.putAll(assignments);
      return new Done(0);
    }
    vars.putAll(assignments);
    // Redirections.
    Io effective = io;
    StringBuilder toFile = null;
    String fileTarget = null;
    boolean append = false;
    for (Script.Redirect r : s.redirects()) {
      String target = String.join("", expandNoSplit(r.target(), f));
      if (r.op().equals("<")) {
        String content = host.fs().read(ContainerFs.normalize(cwd, target));
        if (content == null) {
          io.err().write("sh: can't open '" + target + "': No such file or directory\n");
          return new Done(1);
        }
        effective = new Io(content, effective.out(), effective.err());
        continue;
      }
      Out sink;
      if (target.equals("&2")) {
        sink = io.err();
      } else if (target.equals("&1")) {
        sink = effective.out();
      } else if (target.equals("/dev/null")) {
        sink = new Out(line -> {});
      } else if (target.equals("/dev/stdout") || target.equals("/proc/1/fd/1") || target.equals("/proc/self/fd/1")) {
        sink = io.out();
      } else if (target.equals("/dev/stderr") || target.equals("/proc/1/fd/2") || target.equals("/proc/self/fd/2")) {
        sink = io.err();
      } else {
        toFile = new StringBuilder();
        fileTarget = ContainerFs.normalize(cwd, target);
        append = r.op().equals(">>");
        sink = collector(toFile);
      }
      if (r.fd() == 2) {
        effective = new Io(effective.stdin(), effective.out(), sink);
      } else if (r.fd() == -2) {
        effective = new Io(effective.stdin(), sink, sink);
      } else {
        effective = new Io(effective.stdin(), sink, effective.err());
      }
    }
    Result res = command(argv, effective, mayBlock);
    effective.out().flush();
    if (toFile != null) {
      String err = host.fs().write(fileTarget, toFile.toString(), append);
      if (err != null) {
        io.err().write("sh: can't create " + fileTarget + ": " + err + "\n");
        return new Done(1);
      }
    }
    return res;
  }

  private static boolean isAssignment(String w) {
    int eq = w.indexOf('=');
    if (eq <= 0) {
      return false;
    }
    return validName(w.substring(0, eq));
  }

  /** For a word like {@code X="$(date)"}: the name before '=' if the word starts as an assignment. */
  private static String assignmentPrefix(Script.Word w) {
    if (w.parts().isEmpty() || !(w.parts().get(0) instanceof Script.Literal l) || l.quoted()) {
      return null;
    }
    int eq = l.text().indexOf('=');
    if (eq <= 0 || !validName(l.text().substring(0, eq))) {
      return null;
    }
    return l.text().substring(0, eq);
  }

  static boolean validName(String n) {
    if (n.isEmpty() || !(Character.isLetter(n.charAt(0)) || n.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  static String base(String cmd) {
    int i = cmd.lastIndexOf('/');
    return i >= 0 ? cmd.substring(i + 1) : cmd;
  }

  private static boolean isShell(String name) {
    return name.equals("sh") || name.equals("bash") || name.equals("ash") || name.equals("dash")
        || name.equals("zsh");
  }

  private Result command(List<String> argv, Io io, boolean mayBlock) {
    String name = base(argv.get(0));
    List<String> args = argv.subList(1, argv.size());
    switch (name) {
      case "sleep": {
        Duration d = sleepDuration(args);
        if (d == null && args.isEmpty()) {
          io.err().write("sleep: missing operand\n");
          return new Done(1);
        }
        if (!mayBlock) {
          return d == null ? new Block(new Forever()) : new Done(0);
        }
        if (d == null) {
          return new Block(new Forever());
        }
        if (d.isZero()) {
          return new Done(0);
        }
        return new Block(new Sleep(d));
      }
      case "echo":
        return echo(args, io);
      case "printf":
        return printf(args, io);
      case "true":
      case ":":
        return new Done(0);
      case "false":
        return new Done(1);
      case "exit": {
        int code = status;
        if (!args.isEmpty()) {
          try {
            code = Integer.parseInt(args.get(0).trim());
          } catch (NumberFormatException e) {
            io.err().write("sh: exit: Illegal number: " + args.get(0) + "\n");
            code = 2;
          }
        }
        return new ExitNow(code & 0xff);
      }
      case "return":
        return new ExitNow(args.isEmpty() ? status : parseIntOr(args.get(0), 0));
      case "date":
        io.out().write(DATE.format(host.now()) + "\n");
        return new Done(0);
      case "hostname":
        io.out().write(host.hostname() + "\n");
        return new Done(0);
      case "whoami":
        io.out().write("root\n");
        return new Done(0);
      case "id":
        io.out().write("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
        return new Done(0);
      case "pwd":
        io.out().write(cwd + "\n");
        return new Done(0);
      case "uname":
        io.out().write((args.contains("-a")
            ? "Linux " + host.hostname() + " 6.8.0-60-generic #63-Ubuntu SMP PREEMPT_DYNAMIC x86_64 GNU/Linux"
            : "Linux") + "\n");
        return new Done(0);
      case "env":
      case "printenv":
        return env(name, args, io);
      case "export":
        for (String a : args) {
          int eq = a.indexOf('=');
          String n = eq < 0 ? a : a.substring(0, eq);
          if (eq >= 0) {
            vars.put(n, a.substring(eq + 1));
          }
          exported.add(n);
        }
        return new Done(0);
      case "unset":
        for (String a : args) {
          vars.remove(a);
          exported.remove(a);
        }
        return new Done(0);
      case "cd": {
        String target = ContainerFs.normalize(cwd, args.isEmpty() ? "/root" : args.get(0));
        if (!host.fs().isDir(target)) {
          io.err().write("sh: cd: can't cd to " + (args.isEmpty() ? "/root" : args.get(0)) + ": No such file or directory\n");
          return new Done(2);
        }
        cwd = target;
        return new Done(0);
      }
      case "cat":
        return cat(args, io);
      case "ls":
        return ls(args, io);
      case "touch":
        for (String a : args) {
          if (a.startsWith("-")) {
            continue;
          }
          String p = ContainerFs.normalize(cwd, a);
          if (!host.fs().isFile(p)) {
            String err = host.fs().write(p, "", true);
            if (err != null) {
              io.err().write("touch: " + a + ": " + err + "\n");
              return new Done(1);
            }
          }
        }
        return new Done(0);
      case "rm": {
        boolean force = false;
        boolean recursive = false;
        int code = 0;
        for (String a : args) {
          if (a.startsWith("-")) {
            force |= a.contains("f");
            recursive |= a.contains("r") || a.contains("R");
            continue;
          }
          String err = host.fs().remove(ContainerFs.normalize(cwd, a), recursive);
          if (err != null && !(force && err.equals("No such file or directory"))) {
            io.err().write("rm: can't remove '" + a + "': " + err + "\n");
            code = 1;
          }
        }
        return new Done(code);
      }
      case "mkdir": {
        boolean parents = args.contains("-p");
        for (String a : args) {
          if (a.startsWith("-")) {
            continue;
          }
          String err = host.fs().mkdir(ContainerFs.normalize(cwd, a), parents);
          if (err != null) {
            io.err().write("mkdir: can't create directory '" + a + "': " + err + "\n");
            return new Done(1);
          }
        }
        return new Done(0);
      }
      case "test":
        return new Done(test(args) ? 0 : 1);
      case "[":
      case "[[": {
        String close = name.equals("[") ? "]" : "]]";
        if (args.isEmpty() || !args.get(args.size() - 1).equals(close)) {
          io.err().write("sh: missing " + close + "\n");
          return new Done(2);
        }
        return new Done(test(args.subList(0, args.size() - 1)) ? 0 : 1);
      }
      case "trap":
        return trap(args);
      case "wait":
        if (backgroundForever) {
          return mayBlock ? new Block(new Forever()) : new Done(0);
        }
        if (backgroundUntil != null && backgroundUntil.isAfter(host.now())) {
          Duration d = Duration.between(host.now(), backgroundUntil);
          backgroundUntil = null;
          return mayBlock ? new Block(new Sleep(d)) : new Done(0);
        }
        return new Done(0);
      case "tail":
        if (args.contains("-f") || args.contains("-F")) {
          return mayBlock ? new Block(new Forever()) : new Done(0);
        }
        return cat(args.stream().filter(a -> !a.startsWith("-") && !a.matches("\\d+")).toList(), io);
      case "exec":
        if (args.isEmpty()) {
          return new Done(0);
        }
        if (isShell(base(args.get(0)))) {
          // exec sh -c ...: the new shell replaces this one, so its exit ends the process.
          return shell(args, io, mayBlock, false);
        }
        return command(args, io, mayBlock);
      case "tee": {
        String in = io.stdin() == null ? "" : io.stdin();
        for (String a : args) {
          if (!a.startsWith("-")) {
            host.fs().write(ContainerFs.normalize(cwd, a), in, args.contains("-a"));
          }
        }
        io.out().write(in);
        return new Done(0);
      }
      case "wc":
        if (args.contains("-l")) {
          String in = io.stdin() == null ? "" : io.stdin();
          io.out().write(in.isEmpty() ? "0\n" : (in.split("\n", -1).length - (in.endsWith("\n") ? 1 : 0)) + "\n");
          return new Done(0);
        }
        return unknown(argv, io, mayBlock);
      case "nproc":
        io.out().write("2\n");
        return new Done(0);
      case "nslookup":
      case "getent":
      case "host":
      case "ping":
      case "wget":
      case "curl":
        return net(name, args, io, mayBlock);
      default:
        if (isShell(name)) {
          return shell(args, io, mayBlock, true);
        }
        return unknown(argv, io, mayBlock);
    }
  }

  /** The network commands, answered from the node's view of the cluster's Services (see {@link NetTools}). */
  private Result net(String name, List<String> args, Io io, boolean mayBlock) {
    NetTools tools = new NetTools(host.dns(), host.fs(), cwd, n -> Math.floorMod(host.random(), n));
    NetTools.Outcome o = switch (name) {
      case "nslookup" -> tools.nslookup(args);
      case "getent" -> tools.getent(args);
      case "host" -> tools.host(args);
      case "ping" -> tools.ping(args);
      case "wget" -> tools.wget(args);
      default -> tools.curl(args);
    };
    if (o.delay() == null || !mayBlock) {
      io.out().write(o.out());
      io.err().write(o.err());
      return new Done(o.code());
    }
    if (o.delay().compareTo(Duration.ofDays(365)) > 0) {
      // ping without -c: it goes on until the container is stopped.
      io.out().write(o.out());
      io.err().write(o.err());
      return new Block(new Forever());
    }
    deferred = new Deferred(io.out(), io.err(), o.out(), o.err(), o.code());
    return new Block(new Sleep(o.delay()));
  }

  /** A nested shell: {@code sh -c 'script' name args...}; without -c it reads stdin, which is empty. */
  private Result shell(List<String> args, Io io, boolean mayBlock, boolean subshell) {
    List<String> rest = args;
    if (rest.size() >= 1 && isShell(base(rest.get(0))) && !subshell) {
      rest = rest.subList(1, rest.size());
    }
    int c = rest.indexOf("-c");
    if (c < 0) {
      for (String a : rest) {
        if (a.startsWith("-") && a.contains("c") && !a.startsWith("--")) {
          c = rest.indexOf(a);
          break;
        }
      }
    }
    if (c < 0 || c + 1 >= rest.size()) {
      // A shell reading a script file, or stdin: nothing to read, so it ends at once.
      boolean scriptFile = !rest.isEmpty() && !rest.get(0).startsWith("-");
      if (scriptFile) {
        return unknown(rest, io, mayBlock);
      }
      return new Done(0);
    }
    Script script;
    try {
      script = Script.parse(rest.get(c + 1));
    } catch (Script.SyntaxError e) {
      io.err().write("sh: " + e.getMessage() + "\n");
      return new Done(2);
    }
    List<String> positional = new ArrayList<>(rest.subList(c + 2, rest.size()));
    if (positional.isEmpty()) {
      positional.add("sh");
    }
    if (!mayBlock) {
      return runNested(script, positional, io);
    }
    if (!subshell) {
      // exec: the new script replaces everything that was running.
      frames.clear();
      frames.push(new Frame(script, positional, false));
      return new Done(0);
    }
    frames.push(new Frame(script, positional, true));
    return new Done(0);
  }

  private Result unknown(List<String> argv, Io io, boolean mayBlock) {
    if (mode == Mode.EXEC) {
      io.err().write(UNSUPPORTED + String.join(" ", argv) + "\n");
      return new ExitNow(126);
    }
    // An executable the simulation does not model: taken for a long-running server.
    if (mayBlock) {
      server = true;
      return new Block(new Forever());
    }
    return new Done(0);
  }

  private Result echo(List<String> args, Io io) {
    boolean newline = true;
    boolean escapes = false;
    int i = 0;
    while (i < args.size() && args.get(i).matches("-[neE]+")) {
      newline &= !args.get(i).contains("n");
      escapes |= args.get(i).contains("e");
      i++;
    }
    String text = String.join(" ", args.subList(i, args.size()));
    if (escapes) {
      text = unescape(text);
    }
    io.out().write(newline ? text + "\n" : text);
    return new Done(0);
  }

  private Result printf(List<String> args, Io io) {
    if (args.isEmpty()) {
      io.err().write("printf: usage: printf FORMAT [ARGUMENT]...\n");
      return new Done(1);
    }
    String fmt = unescape(args.get(0));
    List<String> rest = args.subList(1, args.size());
    StringBuilder out = new StringBuilder();
    int next = 0;
    do {
      for (int i = 0; i < fmt.length(); i++) {
        char c = fmt.charAt(i);
        if (c == '%' && i + 1 < fmt.length()) {
          char k = fmt.charAt(++i);
          if (k == '%') {
            out.append('%');
          } else {
            String arg = next < rest.size() ? rest.get(next++) : "";
            out.append(k == 'd' || k == 'i' ? String.valueOf(parseIntOr(arg, 0)) : arg);
          }
        } else {
          out.append(c);
        }
      }
    } while (next < rest.size() && next > 0);
    io.out().write(out.toString());
    return new Done(0);
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
  }

  private Result env(String name, List<String> args, Io io) {
    if (name.equals("printenv") && !args.isEmpty()) {
      int code = 0;
      for (String a : args) {
        if (exported.contains(a) && vars.containsKey(a)) {
          io.out().write(vars.get(a) + "\n");
        } else {
          code = 1;
        }
      }
      return new Done(code);
    }
    if (name.equals("env") && !args.isEmpty()) {
      // env NAME=value cmd: run cmd with extra variables.
      int i = 0;
      while (i < args.size() && isAssignment(args.get(i))) {
        int eq = args.get(i).indexOf('=');
        vars.put(args.get(i).substring(0, eq), args.get(i).substring(eq + 1));
        exported.add(args.get(i).substring(0, eq));
        i++;
      }
      if (i < args.size()) {
        return command(args.subList(i, args.size()), io, false);
      }
    }
    for (String n : exported) {
      if (vars.containsKey(n)) {
        io.out().write(n + "=" + vars.get(n) + "\n");
      }
    }
    return new Done(0);
  }

  private Result cat(List<String> args, Io io) {
    List<String> files = args.stream().filter(a -> !a.startsWith("-") || a.equals("-")).toList();
    if (files.isEmpty()) {
      if (io.stdin() != null) {
        io.out().write(io.stdin());
      }
      return new Done(0);
    }
    int code = 0;
    for (String a : files) {
      if (a.equals("-")) {
        if (io.stdin() != null) {
          io.out().write(io.stdin());
        }
        continue;
      }
      String p = ContainerFs.normalize(cwd, a);
      if (p.equals("/dev/null")) {
        continue;
      }
      String content = host.fs().read(p);
      if (content == null) {
        io.err().write("cat: can't open '" + a + "': " + (host.fs().isDir(p) ? "Is a directory"
            : "No such file or directory") + "\n");
        code = 1;
      } else {
        io.out().write(content);
      }
    }
    return new Done(code);
  }

  private Result ls(List<String> args, Io io) {
    List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
    if (paths.isEmpty()) {
      paths = List.of(cwd);
    }
    int code = 0;
    for (String a : paths) {
      String p = ContainerFs.normalize(cwd, a);
      if (host.fs().isDir(p)) {
        if (paths.size() > 1) {
          io.out().write(a + ":\n");
        }
        for (String n : host.fs().list(p)) {
          if (!n.startsWith(".") || args.contains("-a") || args.contains("-la") || args.contains("-al")) {
            io.out().write(n + "\n");
          }
        }
      } else if (host.fs().isFile(p)) {
        io.out().write(a + "\n");
      } else {
        io.err().write("ls: " + a + ": No such file or directory\n");
        code = 1;
      }
    }
    return new Done(code);
  }

  private Result trap(List<String> args) {
    if (args.size() < 2) {
      return new Done(0);
    }
    String action = args.get(0);
    boolean term = false;
    for (String sig : args.subList(1, args.size())) {
      String s = sig.toUpperCase(Locale.ROOT);
      if (s.equals("TERM") || s.equals("SIGTERM") || s.equals("15")) {
        term = true;
      }
    }
    if (!term) {
      return new Done(0);
    }
    if (action.equals("-")) {
      termTrap = null;
      termIgnored = false;
    } else if (action.isEmpty()) {
      termTrap = null;
      termIgnored = true;
    } else {
      try {
        termTrap = Script.parse(action);
        termIgnored = false;
      } catch (Script.SyntaxError e) {
        return new Done(2);
      }
    }
    return new Done(0);
  }

  private boolean test(List<String> a) {
    if (a.isEmpty()) {
      return false;
    }
    if (a.get(0).equals("!")) {
      return !test(a.subList(1, a.size()));
    }
    int and = a.indexOf("-a");
    if (and > 0) {
      return test(a.subList(0, and)) && test(a.subList(and + 1, a.size()));
    }
    int or = a.indexOf("-o");
    if (or > 0) {
      return test(a.subList(0, or)) || test(a.subList(or + 1, a.size()));
    }
    if (a.size() == 1) {
      return !a.get(0).isEmpty();
    }
    if (a.size() == 2) {
      String p = ContainerFs.normalize(cwd, a.get(1));
      return switch (a.get(0)) {
        case "-f" -> host.fs().isFile(p);
        case "-d" -> host.fs().isDir(p);
        case "-e" -> host.fs().exists(p);
        case "-s" -> host.fs().isFile(p) && !host.fs().read(p).isEmpty();
        case "-r", "-w", "-x" -> host.fs().exists(p);
        case "-z" -> a.get(1).isEmpty();
        case "-n" -> !a.get(1).isEmpty();
        default -> false;
      };
    }
    if (a.size() == 3) {
      String l = a.get(0);
      String r = a.get(2);
      return switch (a.get(1)) {
        case "=", "==" -> l.equals(r);
        case "!=" -> !l.equals(r);
        case "-eq" -> parseIntOr(l, 0) == parseIntOr(r, 0);
        case "-ne" -> parseIntOr(l, 0) != parseIntOr(r, 0);
        case "-lt" -> parseIntOr(l, 0) < parseIntOr(r, 0);
        case "-le" -> parseIntOr(l, 0) <= parseIntOr(r, 0);
        case "-gt" -> parseIntOr(l, 0) > parseIntOr(r, 0);
        case "-ge" -> parseIntOr(l, 0) >= parseIntOr(r, 0);
        default -> false;
      };
    }
    return false;
  }

  private static int parseIntOr(String s, int dflt) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  /**
   * The duration of {@code sleep ARGS} (busybox and coreutils: seconds, or a number with s, m, h
   * or d; several arguments add up), or null for {@code sleep infinity}.
   */
  public static Duration sleepDuration(List<String> args) {
    Duration total = Duration.ZERO;
    for (String a : args) {
      if (a.equals("infinity") || a.equals("inf")) {
        return null;
      }
      double mult = 1;
      String num = a;
      if (!a.isEmpty() && "smhd".indexOf(a.charAt(a.length() - 1)) >= 0) {
        mult = switch (a.charAt(a.length() - 1)) {
          case 'm' -> 60;
          case 'h' -> 3600;
          case 'd' -> 86400;
          default -> 1;
        };
        num = a.substring(0, a.length() - 1);
      }
      try {
        double secs = Double.parseDouble(num) * mult;
        if (Double.isInfinite(secs)) {
          return null;
        }
        total = total.plusNanos((long) (secs * 1_000_000_000L));
      } catch (NumberFormatException e) {
        // busybox: "sleep: invalid number 'x'"; treated as no sleep.
      }
    }
    return total;
  }

  // ---------------------------------------------------------------- expansion

  private List<String> expandAll(List<Script.Word> words) {
    Frame f = frames.isEmpty() ? null : frames.peek();
    List<String> out = new ArrayList<>();
    for (Script.Word w : words) {
      out.addAll(expand(w, f));
    }
    return out;
  }

  /** Expands a word into fields: unquoted expansions are split on blanks, quoted ones are not. */
  private List<String> expand(Script.Word w, Frame f) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean any = false;
    for (Script.Part p : w.parts()) {
      if (p instanceof Script.Literal l) {
        cur.append(l.text());
        any = true;
      } else if (p instanceof Script.Var v && (v.name().equals("@") || v.name().equals("*")) && f != null) {
        List<String> pos = f.positional.subList(Math.min(1, f.positional.size()), f.positional.size());
        if (v.quoted() && v.name().equals("@")) {
          for (int i = 0; i < pos.size(); i++) {
            cur.append(pos.get(i));
            if (i < pos.size() - 1) {
              fields.add(cur.toString());
              cur.setLength(0);
            }
          }
          any = any || !pos.isEmpty();
        } else {
          String joined = String.join(" ", pos);
          any |= split(joined, v.quoted(), cur, fields);
        }
      } else {
        boolean quoted = quoted(p);
        String value = value(p, f);
        any |= split(value, quoted, cur, fields);
      }
    }
    if (any || cur.length() > 0) {
      fields.add(cur.toString());
    }
    return fields;
  }

  private static boolean split(String value, boolean quoted, StringBuilder cur, List<String> fields) {
    if (quoted) {
      cur.append(value);
      return true;
    }
    String[] pieces = value.split("[ \\t\\n]+", -1);
    boolean produced = false;
    for (int i = 0; i < pieces.length; i++) {
      if (i > 0 && (cur.length() > 0)) {
        fields.add(cur.toString());
        cur.setLength(0);
      }
      cur.append(pieces[i]);
      produced |= !pieces[i].isEmpty();
    }
    return produced;
  }

  private List<String> expandNoSplit(Script.Word w, Frame f) {
    StringBuilder sb = new StringBuilder();
    for (Script.Part p : w.parts()) {
      sb.append(p instanceof Script.Literal l ? l.text() : value(p, f));
    }
    return List.of(sb.toString());
  }

  private static boolean quoted(Script.Part p) {
    if (p instanceof Script.Var v) {
      return v.quoted();
    }
    if (p instanceof Script.CommandSub c) {
      return c.quoted();
    }
    if (p instanceof Script.Arith a) {
      return a.quoted();
    }
    return ((Script.Literal) p).quoted();
  }

  private String value(Script.Part p, Frame f) {
    if (p instanceof Script.Var v) {
      return variable(v.name(), f);
    }
    if (p instanceof Script.CommandSub c) {
      StringBuilder out = new StringBuilder();
      Out into = collector(out);
      SimProcess child = fork(new Io(null, into, stderr));
      child.frames.clear();
      child.frames.push(new Frame(c.script(), f == null ? List.of("sh") : f.positional, true));
      child.runToEnd();
      child.flush();
      // Output without a final newline ($(cat file) of a file that has none) is still output.
      into.flush();
      String s = out.toString();
      while (s.endsWith("\n")) {
        s = s.substring(0, s.length() - 1);
      }
      return s;
    }
    if (p instanceof Script.Arith a) {
      try {
        return Long.toString(new Arithmetic(a.expr(), n -> variable(n, f)).eval());
      } catch (RuntimeException e) {
        stderr.write("sh: arithmetic syntax error\n");
        return "0";
      }
    }
    return ((Script.Literal) p).text();
  }

  private String variable(String name, Frame f) {
    String defaultValue = null;
    String n = name;
    int colon = name.indexOf(":-");
    if (colon > 0) {
      n = name.substring(0, colon);
      defaultValue = name.substring(colon + 2);
    }
    String v;
    switch (n) {
      case "?" -> v = Integer.toString(status);
      case "$" -> v = "1";
      case "!" -> v = "";
      case "#" -> v = f == null ? "0" : Integer.toString(Math.max(0, f.positional.size() - 1));
      case "RANDOM" -> v = Integer.toString(host.random());
      case "PWD" -> v = cwd;
      default -> {
        if (n.chars().allMatch(Character::isDigit) && f != null) {
          int i = Integer.parseInt(n);
          v = i < f.positional.size() ? f.positional.get(i) : "";
        } else {
          v = vars.get(n);
        }
      }
    }
    if ((v == null || v.isEmpty()) && defaultValue != null) {
      return defaultValue;
    }
    return v == null ? "" : v;
  }

  /** The exported variables, in order, as {@code env} prints them. */
  Map<String, String> environment() {
    Map<String, String> out = new TreeMap<>();
    for (String n : exported) {
      if (vars.containsKey(n)) {
        out.put(n, vars.get(n));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- arithmetic

  /** $((...)): integers, variables, + - * / %, comparisons, parentheses. */
  private static final class Arithmetic {
    private final String s;
    private final java.util.function.Function<String, String> vars;
    private int pos;

    Arithmetic(String s, java.util.function.Function<String, String> vars) {
      this.s = s;
      this.vars = vars;
    }

    long eval() {
      long v = comparison();
      skip();
      if (pos < s.length()) {
        throw new IllegalArgumentException("trailing " + s.substring(pos));
      }
      return v;
    }

    private long comparison() {
      long l = additive();
      while (true) {
        skip();
        String op = null;
        for (String o : List.of("<=", ">=", "==", "!=", "<", ">")) {
          if (s.startsWith(o, pos)) {
            op = o;
            break;
          }
        }
        if (op == null) {
          return l;
        }
        pos += op.length();
        long r = additive();
        l = switch (op) {
          case "<=" -> l <= r ? 1 : 0;
          case ">=" -> l >= r ? 1 : 0;
          case "==" -> l == r ? 1 : 0;
          case "!=" -> l != r ? 1 : 0;
          case "<" -> l < r ? 1 : 0;
          default -> l > r ? 1 : 0;
        };
      }
    }

    private long additive() {
      long l = term();
      while (true) {
        skip();
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          char op = s.charAt(pos++);
          long r = term();
          l = op == '+' ? l + r : l - r;
        } else {
          return l;
        }
      }
    }

    private long term() {
      long l = factor();
      while (true) {
        skip();
        if (pos < s.length() && "*/%".indexOf(s.charAt(pos)) >= 0) {
          char op = s.charAt(pos++);
          long r = factor();
          l = switch (op) {
            case '*' -> l * r;
            case '/' -> l / r;
            default -> l % r;
          };
        } else {
          return l;
        }
      }
    }

    private long factor() {
      skip();
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        long v = comparison();
        skip();
        pos++;
        return v;
      }
      if (c == '-') {
        pos++;
        return -factor();
      }
      if (c == '$') {
        pos++;
      }
      int start = pos;
      if (Character.isDigit(s.charAt(pos))) {
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        return Long.parseLong(s.substring(start, pos));
      }
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw new IllegalArgumentException("bad token");
      }
      String v = vars.apply(s.substring(start, pos));
      try {
        return v.isEmpty() ? 0 : Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
