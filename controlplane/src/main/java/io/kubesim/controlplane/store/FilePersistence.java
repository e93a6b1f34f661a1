package io.kubesim.controlplane.store;

import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store's persistence in a directory: {@code wal.jsonl}, one JSON line per write, forced to
 * disk before the writes it holds are acknowledged; and {@code snapshot.jsonl}, the live keys at
 * one revision, written to a temporary file and renamed into place, after which the log starts
 * afresh. A line cut short by a crash (never acknowledged) is ignored on load.
 */
public final class FilePersistence implements Persistence {

  private static final String WAL = "wal.jsonl";
  private static final String SNAPSHOT = "snapshot.jsonl";

  private final Path dir;
  private final Function<Object, JsonNode> encode;
  private final Function<JsonNode, Object> decode;
  private FileChannel wal;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private long sinceSnapshot;
  private boolean dirty;
  private long timeMillis;
  private long lastMillis;

  /**
   * @param encode a stored value as JSON (the apiserver's objects carry apiVersion and kind)
   * @param decode the JSON back to a value
   */
  public FilePersistence(Path dir, Function<Object, JsonNode> encode, Function<JsonNode, Object> decode) {
    this.dir = dir;
    this.encode = encode;
    this.decode = decode;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public State load() {
    Map<String, Write> live = new LinkedHashMap<>();
    long revision = 1;
    Path snap = dir.resolve(SNAPSHOT);
    if (Files.exists(snap)) {
      List<String> lines = completeLines(snap);
      if (lines.isEmpty()) {
        throw new IllegalStateException(snap + " is empty or cut short");
      }
      JsonNode head = Json.MAPPER.readTree(lines.get(0));
      revision = head.path("revision").asLong();
      lastMillis = head.path("t").asLong(0);
      for (int i = 1; i < lines.size(); i++) {
        Write w = parse(lines.get(i), snap, i + 1);
        live.put(w.key(), w);
      }
    }
    Path log = dir.resolve(WAL);
    if (Files.exists(log)) {
      List<String> lines = completeLines(log);
      for (int i = 0; i < lines.size(); i++) {
        Write w = parse(lines.get(i), log, i + 1);
        lastMillis = Math.max(lastMillis, Json.MAPPER.readTree(lines.get(i)).path("t").asLong(0));
        if (w.revision() <= revision) {
          continue;
        }
        revision = w.revision();
        if (w.value() == null) {
          live.remove(w.key());
        } else {
          live.put(w.key(), w);
        }
        sinceSnapshot++;
      }
    }
    openWal();
    return new State(revision, new ArrayList<>(live.values()), lastMillis);
  }

  private void openWal() {
    Path file = dir.resolve(WAL);
    try {
      wal = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      // Drop a torn last line (never acknowledged) so that new writes start on a line of their own.
      long keep = 0;
      if (Files.size(file) > 0) {
        byte[] all = Files.readAllBytes(file);
        for (int i = all.length - 1; i >= 0; i--) {
          if (all[i] == '\n') {
            keep = i + 1;
            break;
          }
        }
        if (keep < all.length) {
          wal.truncate(keep);
          wal.force(true);
        }
      }
      wal.position(keep);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> completeLines(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      int start = 0;
      int nl;
      while ((nl = text.indexOf('\n', start)) >= 0) {
        if (nl > start) {
          out.add(text.substring(start, nl));
        }
        start = nl + 1;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private Write parse(String line, Path file, int lineNo) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + ":" + lineNo + ": corrupt record: " + e.getMessage());
    }
    JsonNode v = n.get("value");
    return new Write(n.path("rev").asLong(), n.path("key").asString(), v == null || v.isNull() ? null : decode.apply(v),
        n.path("create").asLong(), n.path("ver").asLong(), n.path("exp").asLong(0));
  }

  private byte[] line(Write w) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("rev", w.revision());
    n.put("key", w.key());
    n.put("create", w.createRevision());
    n.put("ver", w.version());
    if (timeMillis > 0) {
      n.put("t", timeMillis);
    }
    if (w.expiresAtMillis() > 0) {
      n.put("exp", w.expiresAtMillis());
    }
    if (w.value() != null) {
      n.set("value", encode.apply(w.value()));
    }
    byte[] body = Json.writeBytes(n);
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 0, body.length);
    out[body.length] = '\n';
    return out;
  }

  @Override
  public void append(Write w) {
    byte[] l = line(w);
    try {
      if (l.length > buffer.remaining()) {
        flushBuffer();
      }
      if (l.length > buffer.capacity()) {
        wal.write(ByteBuffer.wrap(l));
      } else {
        buffer.put(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(WAL) + ": " + e.getMessage(), e);
    }
    dirty = true;
    sinceSnapshot++;
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      wal.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void sync() {
    if (!dirty) {
      return;
    }
    try {
      flushBuffer();
      wal.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + dir.resolve(WAL) + ": " + e.getMessage(), e);
    }
    dirty = false;
  }

  @Override
  public void snapshot(long revision, List<Write> live) {
    sync();
    Path tmp = dir.resolve(SNAPSHOT + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(("{\"revision\":" + revision + ",\"t\":" + timeMillis + "}\n")
          .getBytes(StandardCharsets.UTF_8)));
      for (Write w : live) {
        out.write(ByteBuffer.wrap(line(w)));
      }
      out.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write snapshot " + tmp + ": " + e.getMessage(), e);
    }
    try {
      try {
        Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.REPLACE_EXISTING);
      }
      // Records up to the snapshot's revision are now redundant; load() skips any that remain.
      wal.truncate(0);
      wal.position(0);
      wal.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install snapshot in " + dir + ": " + e.getMessage(), e);
    }
    sinceSnapshot = 0;
  }

  @Override
  public void time(long epochMillis) {
    timeMillis = epochMillis;
  }

  /** Reads only the virtual time of the last write, before a cluster is started on the directory. */
  public static long lastWriteMillis(Path dir) {
    long t = 0;
    for (String name : new String[] {SNAPSHOT, WAL}) {
      Path f = dir.resolve(name);
      if (Files.exists(f)) {
        for (String line : completeLines(f)) {
          try {
            t = Math.max(t, Json.MAPPER.readTree(line).path("t").asLong(0));
          } catch (RuntimeException e) {
            // a corrupt line is reported by load()
          }
        }
      }
    }
    return t;
  }

  @Override
  public long sinceSnapshot() {
    return sinceSnapshot;
  }

  @Override
  public void close() {
    try {
      if (wal != null) {
        sync();
        wal.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
