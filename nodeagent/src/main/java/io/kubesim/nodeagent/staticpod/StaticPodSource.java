package io.kubesim.nodeagent.staticpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a kubelet's static pods come from: the manifests in its {@code staticPodPath} (kubeadm:
 * /etc/kubernetes/manifests), which it reads again every fileCheckFrequency (20 s). Each call to
 * {@link #read()} returns the pods as they are now; a pod that disappears from the source is
 * stopped, a changed one is replaced.
 */
public interface StaticPodSource {

  List<Pod> read();

  /** Problems met on the last read (files that do not parse), for the kubelet to log. */
  default List<String> lastErrors() {
    return List.of();
  }

  static StaticPodSource none() {
    return List::of;
  }

  /** A fixed list of pods. */
  static StaticPodSource fixed(List<Pod> pods) {
    List<Pod> copy = List.copyOf(pods);
    return () -> copy;
  }

  /** The manifests of a directory: every *.yaml, *.yml and *.json file not starting with a dot, in name order. */
  static StaticPodSource directory(Path dir) {
    return new DirectorySource(dir);
  }

  /** Manifests on the classpath, by resource name ("kubesim/clusters/default/static-pods/etcd.yaml"). */
  static StaticPodSource resources(List<String> names) {
    List<Pod> pods = new ArrayList<>();
    for (String name : names) {
      try (InputStream in = StaticPodSource.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalArgumentException("no such resource: " + name);
        }
        pods.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + name + ": " + e.getMessage(), e);
      }
    }
    return fixed(pods);
  }

  /** The static pods of the default cluster's control-plane node, as kubeadm writes them. */
  List<String> DEFAULT_CONTROL_PLANE = List.of(
      "kubesim/clusters/default/static-pods/etcd.yaml",
      "kubesim/clusters/default/static-pods/kube-apiserver.yaml",
      "kubesim/clusters/default/static-pods/kube-controller-manager.yaml",
      "kubesim/clusters/default/static-pods/kube-scheduler.yaml");

  /** A pod manifest in YAML or JSON. */
  static Pod parse(String text) {
    Pod pod = Json.YAML.readValue(text, Pod.class);
    if (pod == null || !"Pod".equals(pod.getKind())) {
      throw new IllegalArgumentException("not a Pod manifest (kind " + (pod == null ? null : pod.getKind()) + ")");
    }
    return pod;
  }

  /** Reads a directory each time it is asked, as the kubelet's file source does. */
  final class DirectorySource implements StaticPodSource {
    private final Path dir;
    private List<String> errors = List.of();

    DirectorySource(Path dir) {
      this.dir = dir;
    }

    @Override
    public List<Pod> read() {
      List<Pod> pods = new ArrayList<>();
      List<String> errs = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        errors = List.of("path does not exist: " + dir);
        return pods;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .filter(p -> p.getFileName().toString().matches(".*\\.(yaml|yml|json)"))
            .sorted().toList();
      } catch (IOException e) {
        errors = List.of("unable to read " + dir + ": " + e.getMessage());
        return pods;
      }
      for (Path f : files) {
        try {
          pods.add(parse(Files.readString(f)));
        } catch (IOException | RuntimeException e) {
          errs.add(f + ": " + e.getMessage());
        }
      }
      errors = errs;
      return pods;
    }

    @Override
    public List<String> lastErrors() {
      return errors;
    }
  }
}
