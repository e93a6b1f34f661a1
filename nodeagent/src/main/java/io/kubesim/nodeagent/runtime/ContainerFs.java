package io.kubesim.nodeagent.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The small in-memory filesystem of a simulated container: the files its volumes mount (configMap,
 * secret and downwardAPI files, read-only, as the kubelet projects them), the files the kubelet
 * manages ({@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}), and whatever the
 * container's own commands write ({@code touch /tmp/healthy}, {@code echo x > /tmp/f}).
 */
public final class ContainerFs {

  private final NavigableMap<String, String> files = new TreeMap<>();
  private final NavigableSet<String> dirs = new TreeSet<>();
  private final NavigableSet<String> readOnlyRoots = new TreeSet<>();

  public ContainerFs() {
    for (String d : List.of("/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/run", "/sbin", "/sys", "/tmp",
        "/usr", "/usr/bin", "/var", "/var/log")) {
      dirs.add(d);
    }
  }

  /** A copy with the same content: a restarted container starts from its image again, with the same mounts. */
  public ContainerFs copy() {
    ContainerFs c = new ContainerFs();
    c.files.putAll(files);
    c.dirs.addAll(dirs);
    c.readOnlyRoots.addAll(readOnlyRoots);
    return c;
  }

  /** Mounts a volume's files (paths relative to {@code mountPath}) at {@code mountPath}. */
  public void mount(String mountPath, Map<String, String> relativeFiles, boolean readOnly) {
    String root = normalize("/", mountPath);
    mkdirs(root);
    for (Map.Entry<String, String> e : relativeFiles.entrySet()) {
      String path = normalize(root, e.getKey());
      mkdirs(parent(path));
      files.put(path, e.getValue());
    }
    if (readOnly) {
      readOnlyRoots.add(root);
    }
  }

  /** A file the runtime or kubelet writes (e.g. /etc/hosts), whatever the mounts say. */
  public void put(String path, String content) {
    String p = normalize("/", path);
    mkdirs(parent(p));
    files.put(p, content);
  }

  public static String normalize(String cwd, String path) {
    String full = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
    List<String> out = new ArrayList<>();
    for (String seg : full.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(seg);
      }
    }
    return "/" + String.join("/", out);
  }

  static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  private void mkdirs(String dir) {
    String d = dir;
    while (!dirs.contains(d)) {
      dirs.add(d);
      d = parent(d);
    }
  }

  public boolean isFile(String path) {
    return files.containsKey(path);
  }

  public boolean isDir(String path) {
    return dirs.contains(path);
  }

  public boolean exists(String path) {
    return isFile(path) || isDir(path);
  }

  /** The file's content, or null if there is no such file. */
  public String read(String path) {
    return files.get(path);
  }

  boolean readOnly(String path) {
    String root = readOnlyRoots.floor(path);
    return root != null && (path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/"));
  }

  /** Writes a file; returns an error message ("Read-only file system", ...) or null. */
  String write(String path, String content, boolean append) {
    if (readOnly(path)) {
      return "Read-only file system";
    }
    if (isDir(path)) {
      return "Is a directory";
    }
    if (!isDir(parent(path))) {
      return "No such file or directory";
    }
    files.merge(path, content, (old, add) -> append ? old + add : add);
    return null;
  }

  String remove(String path, boolean recursive) {
    if (readOnly(path)) {
      return "Read-only file system";
    }
    if (files.remove(path) != null) {
      return null;
    }
    if (isDir(path)) {
      if (!recursive) {
        return "Is a directory";
      }
      String prefix = path.equals("/") ? "/" : path + "/";
      files.subMap(prefix, prefix + Character.MAX_VALUE).clear();
      dirs.subSet(prefix, prefix + Character.MAX_VALUE).clear();
      dirs.remove(path);
      return null;
    }
    return "No such file or directory";
  }

  String mkdir(String path, boolean parents) {
    if (readOnly(path)) {
      return "Read-only file system";
    }
    if (exists(path)) {
      return parents ? null : "File exists";
    }
    if (!parents && !isDir(parent(path))) {
      return "No such file or directory";
    }
    mkdirs(path);
    return null;
  }

  /** The names directly inside a directory, sorted as ls sorts them. */
  List<String> list(String dir) {
    String prefix = dir.equals("/") ? "/" : dir + "/";
    TreeSet<String> names = new TreeSet<>();
    for (String f : files.subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
      names.add(f.substring(prefix.length()).split("/")[0]);
    }
    for (String d : dirs.subSet(prefix, prefix + Character.MAX_VALUE)) {
      if (!d.equals(dir)) {
        names.add(d.substring(prefix.length()).split("/")[0]);
      }
    }
    return new ArrayList<>(names);
  }
}
