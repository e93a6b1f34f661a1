package io.kubesim.controlplane.http;

import akka.NotUsed;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.BinaryMessage;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code pods/NAME/exec} over WebSocket, subprotocol {@code v5.channel.k8s.io} (or v4): after the
 * upgrade, binary messages whose first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 the
 * final Status, 4 terminal resize), and the client ends stdin with {@code [0xFF, 0x00]}. The
 * command runs in the simulated container ({@code ContainerRuntime.Exec}); its output, then a
 * Status (Success, or Failure with reason NonZeroExitCode and the exit code as a cause), then a
 * close frame.
 *
 * <p>With stdin, a bare shell ({@code kubectl exec -i POD -- sh}, or {@code -it}) reads its
 * input line by line and runs each line as {@code sh -c LINE}, so scripts piped in and typed
 * commands work; each line runs in a fresh shell (variables and {@code cd} do not carry over).
 * With a terminal it echoes what is typed and prints a prompt. Any other command with stdin runs
 * once the client has closed stdin; the input itself is not passed to it.
 *
 * <p>SPDY/3.1, the fallback of kubectl before 1.30, is not spoken: such a request gets the same
 * errors as a WebSocket one, and otherwise a Status saying so.
 */
final class PodExec {

  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";

  private static final byte STDIN = 0;
  private static final byte STDOUT = 1;
  private static final byte STDERR = 2;
  private static final byte STATUS = 3;
  private static final int CLOSE_SIGNAL = 255;
  private static final int OUTPUT_BUFFER = 1024;

  /** PodExecOptions. */
  record Options(List<String> command, String container, boolean stdin, boolean stdout, boolean stderr,
      boolean tty) {}

  private PodExec() {}

  static Options options(Query q) {
    return new Options(q.all("command"), q.get("container"), q.bool("stdin"), q.bool("stdout"), q.bool("stderr"),
        q.bool("tty"));
  }

  static CompletionStage<HttpResponse> serve(SimulationLink link, Materializer mat, HttpRequest request,
      ResourceApi.Target t, Query q) {
    Options o = options(q);
    Optional<WebSocketUpgrade> ws = request.getAttribute(AttributeKeys.webSocketUpgrade);
    boolean spdy = request.getHeader("Upgrade").map(HttpHeader::value).orElse("").toUpperCase()
        .contains("SPDY/3.1");
    if (ws.isEmpty() && !spdy) {
      throw new StatusException(ApiErrors.badRequest("Upgrade request required"));
    }
    if (o.command().isEmpty()) {
      throw new StatusException(ApiErrors.badRequest("you must specify at least one command for the container"));
    }
    if (!o.stdin() && !o.stdout() && !o.stderr()) {
      throw new StatusException(ApiErrors.badRequest("you must specify at least 1 of stdin, stdout, stderr"));
    }
    String protocol = ws.map(PodExec::negotiate).orElse(null);
    return link.call((r, tag) -> new Api.Get(t.type(), t.namespace(), t.name(), r, tag)).thenCompose(a -> {
      if (a.response() instanceof Api.Failed f) {
        return done(Render.status(f.status()));
      }
      Pod pod = (Pod) ((Api.Ok) a.response()).object();
      String container = PodLogs.container(pod, o.container());
      String node = pod.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        // streamLocation (pkg/registry/core/pod/strategy.go)
        throw new StatusException(ApiErrors.badRequest("pod " + t.name() + " does not have a host assigned"));
      }
      Target target = new Target(link, pod, node, container);
      if (protocol == null) {
        // Only the checks, never the command: an answer that refuses must not have run anything.
        return target.run(List.of("true")).thenApply(ans -> {
          HttpResponse refused = refusal(target, ans);
          if (refused != null) {
            return refused;
          }
          return Render.status(ApiErrors.badRequest(spdy
              ? "exec over SPDY/3.1 is not supported by kubesim: use kubectl 1.30 or later, which speaks WebSocket ("
                  + V5 + ")"
              : "unable to upgrade: the client offers none of the subprotocols " + V5 + ", " + V4));
        });
      }
      boolean readsInput = o.stdin() && protocol.equals(V5);
      if (!readsInput) {
        return target.run(o.command()).thenApply(ans -> {
          HttpResponse refused = refusal(target, ans);
          return refused != null ? refused : upgrade(ws.get(), protocol, mat, target, o, s -> s.finish(ans));
        });
      }
      return target.run(List.of("true")).thenApply(ans -> {
        HttpResponse refused = refusal(target, ans);
        if (refused != null) {
          return refused;
        }
        return upgrade(ws.get(), protocol, mat, target, o, Session::start);
      });
    });
  }

  /** The subprotocol to answer with, or null when the client offers none kubesim speaks. */
  static String negotiate(WebSocketUpgrade upgrade) {
    List<String> offered = new ArrayList<>();
    for (String p : upgrade.getRequestedProtocols()) {
      offered.add(p.trim());
    }
    for (String p : List.of(V5, V4)) {
      if (offered.contains(p)) {
        return p;
      }
    }
    return null;
  }

  /** The container an exec runs in. */
  private record Target(SimulationLink link, Pod pod, String node, String container) {
    CompletableFuture<ClusterProxy.ExecAnswer> run(List<String> command) {
      return link.exec(node, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), container, command);
    }
  }

  /** The upgrade refusal for an exec that cannot run at all, or null. */
  private static HttpResponse refusal(Target target, ClusterProxy.ExecAnswer ans) {
    if (ans.unreachable() != null) {
      return Render.status(ApiErrors.status(500, null, PodLogs.execDialError(target.pod(), ans.unreachable()), null));
    }
    if (ans.error() == null) {
      return null;
    }
    // The kubelet refuses in plain text; client-go prints "unable to upgrade connection: <text>".
    String text = ans.error().replaceFirst("^unable to upgrade connection: ", "");
    return HttpResponse.create().withStatus(500).withEntity(ContentTypes.TEXT_PLAIN_UTF8, text);
  }

  private static HttpResponse upgrade(WebSocketUpgrade ws, String protocol, Materializer mat, Target target,
      Options options, java.util.function.Consumer<Session> begin) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(OUTPUT_BUFFER).preMaterialize(mat);
    Session session = new Session(out.first(), protocol, target, options);
    Sink<Message, ?> in = Flow.<Message>create()
        .mapAsync(1, m -> strict(m, mat))
        .to(Sink.foreach(session::input));
    begin.accept(session);
    return ws.handleMessagesWith(Flow.fromSinkAndSourceCoupled(in, out.second()), protocol);
  }

  /** A message's bytes (text as UTF-8); streamed messages are gathered first. */
  private static CompletionStage<ByteString> strict(Message m, Materializer mat) {
    if (m.isText()) {
      if (m.isStrict()) {
        return CompletableFuture.completedFuture(ByteString.fromString(m.asTextMessage().getStrictText()));
      }
      return m.asTextMessage().getStreamedText().runFold("", String::concat, mat).thenApply(ByteString::fromString);
    }
    if (m.isStrict()) {
      return CompletableFuture.completedFuture(m.asBinaryMessage().getStrictData());
    }
    return m.asBinaryMessage().getStreamedData().runFold(ByteString.emptyByteString(), ByteString::concat, mat);
  }

  /** The final Status of an exec, as the kubelet's remotecommand server writes it. */
  static byte[] status(int exitCode, String commandLine) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("metadata", Map.of());
    if (exitCode == 0) {
      s.put("status", "Success");
      return Json.writeBytes(s);
    }
    s.put("status", "Failure");
    s.put("message", "command terminated with non-zero exit code: error executing command [" + commandLine
        + "], exit code " + exitCode);
    s.put("reason", "NonZeroExitCode");
    s.put("details", Map.of("causes", List.of(Map.of("reason", "ExitCode", "message", Integer.toString(exitCode)))));
    return Json.writeBytes(s);
  }

  /** A Status for an exec that failed after the upgrade (the node went away). */
  static byte[] failure(String message) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("metadata", Map.of());
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", "InternalError");
    return Json.writeBytes(s);
  }

  /** Is this a shell with nothing to run but its input? */
  static boolean bareShell(List<String> command) {
    if (command.size() != 1 && !(command.size() == 2 && (command.get(1).equals("-i") || command.get(1).equals("-l")))) {
      return false;
    }
    String exe = command.get(0);
    String base = exe.substring(exe.lastIndexOf('/') + 1);
    return List.of("sh", "bash", "ash", "dash", "zsh").contains(base);
  }

  /**
   * One exec over an upgraded connection: output goes out as channel messages; with input, a bare
   * shell runs each line as it comes. Input arrives on an HTTP stream thread, answers on the HTTP
   * executor; the state is guarded by this object.
   */
  static final class Session {
    private final BoundedSourceQueue<Message> out;
    private final boolean v5;
    private final Target target;
    private final Options options;
    private final boolean shell;
    private final StringBuilder line = new StringBuilder();
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private boolean reading;
    private boolean running;
    private boolean inputClosed;
    private boolean finished;
    private int lastExit;

    Session(BoundedSourceQueue<Message> out, String protocol, Target target, Options options) {
      this.out = out;
      this.v5 = protocol.equals(V5);
      this.target = target;
      this.options = options;
      this.shell = bareShell(options.command());
    }

    /** A command that already ran: its output, its Status, the end. */
    synchronized void finish(ClusterProxy.ExecAnswer ans) {
      if (options.tty()) {
        // A terminal has one output, and its line discipline turns \n into \r\n.
        write(STDOUT, (ans.stdout() + ans.stderr()).replace("\n", "\r\n"));
      } else {
        write(STDOUT, ans.stdout());
        write(STDERR, ans.stderr());
      }
      end(ans.exitCode(), null);
    }

    /** A session that reads input. */
    synchronized void start() {
      reading = true;
      if (shell && options.tty()) {
        write(STDOUT, prompt());
      }
    }

    synchronized void input(ByteString message) {
      if (finished || message.isEmpty()) {
        return;
      }
      int channel = message.apply(0) & 0xff;
      if (v5 && channel == CLOSE_SIGNAL) {
        if (message.size() > 1 && (message.apply(1) & 0xff) == STDIN) {
          inputClosed = true;
          if (line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
          }
          next();
        }
        return;
      }
      if (channel != STDIN || !reading) {
        // Resize messages (channel 4) and anything else: nothing is drawn, nothing to do.
        return;
      }
      String text = message.drop(1).utf8String();
      if (!shell) {
        return;
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (options.tty()) {
          if (c == '\r' || c == '\n') {
            write(STDOUT, "\r\n");
            lines.add(line.toString());
            line.setLength(0);
          } else if (c == 0x7f || c == '\b') {
            if (line.length() > 0) {
              line.setLength(line.length() - 1);
              write(STDOUT, "\b \b");
            }
          } else if (c == 0x03) {
            line.setLength(0);
            write(STDOUT, "^C\r\n" + prompt());
          } else if (c == 0x04) {
            if (line.length() == 0) {
              inputClosed = true;
              write(STDOUT, "exit\r\n");
            }
          } else if (c >= 0x20 || c == '\t') {
            line.append(c);
            write(STDOUT, String.valueOf(c));
          }
        } else if (c == '\n') {
          lines.add(line.toString());
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
      next();
    }

    /** Runs the next complete line, or ends the session when the input is closed and done. */
    private void next() {
      if (running || finished || !reading) {
        return;
      }
      if (!shell) {
        if (inputClosed) {
          running = true;
          target.run(options.command()).thenAccept(this::ranCommand);
        }
        return;
      }
      while (!lines.isEmpty()) {
        String l = lines.pollFirst().trim();
        if (l.isEmpty() || l.startsWith("#")) {
          if (options.tty()) {
            write(STDOUT, prompt());
          }
          continue;
        }
        Integer exit = exitCommand(l);
        if (exit != null) {
          end(exit, null);
          return;
        }
        running = true;
        target.run(List.of("sh", "-c", l)).thenAccept(this::ranLine);
        return;
      }
      if (inputClosed) {
        end(lastExit, null);
      }
    }

    private synchronized void ranCommand(ClusterProxy.ExecAnswer ans) {
      running = false;
      if (ans.unreachable() != null || ans.error() != null) {
        end(1, ans.unreachable() != null ? PodLogs.execDialError(target.pod(), ans.unreachable()) : ans.error());
        return;
      }
      finish(ans);
    }

    private synchronized void ranLine(ClusterProxy.ExecAnswer ans) {
      running = false;
      if (ans.unreachable() != null || ans.error() != null) {
        end(1, ans.unreachable() != null ? PodLogs.execDialError(target.pod(), ans.unreachable()) : ans.error());
        return;
      }
      lastExit = ans.exitCode();
      if (options.tty()) {
        write(STDOUT, (ans.stdout() + ans.stderr()).replace("\n", "\r\n") + prompt());
      } else {
        write(STDOUT, ans.stdout());
        write(STDERR, ans.stderr());
      }
      next();
    }

    private String prompt() {
      String exe = options.command().get(0);
      if (exe.endsWith("bash")) {
        String host = target.pod().getSpec().getHostname() != null ? target.pod().getSpec().getHostname()
            : target.pod().getMetadata().getName();
        return "root@" + host + ":/# ";
      }
      return "/ # ";
    }

    private static Integer exitCommand(String l) {
      String[] words = l.split("\\s+");
      if (!words[0].equals("exit") || words.length > 2) {
        return null;
      }
      if (words.length == 1) {
        return 0;
      }
      try {
        return Integer.parseInt(words[1]) & 0xff;
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private void write(byte channel, String text) {
      if (text == null || text.isEmpty()) {
        return;
      }
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      byte[] frame = new byte[b.length + 1];
      frame[0] = channel;
      System.arraycopy(b, 0, frame, 1, b.length);
      Queues.offer(out, BinaryMessage.create(ByteString.fromArrayUnsafe(frame)));
    }

    private void end(int exitCode, String error) {
      if (finished) {
        return;
      }
      finished = true;
      byte[] s = error != null ? failure(error) : status(exitCode, String.join(" ", options.command()));
      byte[] frame = new byte[s.length + 1];
      frame[0] = STATUS;
      System.arraycopy(s, 0, frame, 1, s.length);
      Queues.offer(out, BinaryMessage.create(ByteString.fromArrayUnsafe(frame)));
      Queues.complete(out);
    }
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
