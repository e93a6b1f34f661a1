package io.kubesim.nodeagent.staticpod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static pods and their mirror pods, as the kubelet's file config source and mirror client make
 * them (pkg/kubelet/config/common.go applyDefaults, pkg/kubelet/pod/mirror_client.go).
 */
public final class StaticPods {

  public static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";
  public static final String CONFIG_HASH = "kubernetes.io/config.hash";
  public static final String CONFIG_SOURCE = "kubernetes.io/config.source";
  public static final String CONFIG_SEEN = "kubernetes.io/config.seen";

  private StaticPods() {}

  /**
   * A manifest made into the static pod the kubelet runs: its UID is the MD5 of the manifest and
   * the host (so a changed manifest is a new pod), its name gets "-node" appended, it lands in
   * "default" if it names no namespace, it is bound to this node, tolerates every NoExecute taint,
   * and carries the config annotations. The kubelet's own defaults for the fields it relies on are
   * filled in (the mirror pod gets the apiserver's full defaulting).
   */
  public static Pod prepare(Pod manifest, String nodeName, String seen) {
    Pod pod = new PodBuilder(manifest).build();
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    String uid = md5(Json.write(manifest) + "host:" + nodeName);
    ObjectMeta meta = pod.getMetadata();
    meta.setUid(uid);
    meta.setName(meta.getName() + "-" + nodeName.toLowerCase(java.util.Locale.ROOT));
    if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
      meta.setNamespace("default");
    }
    Map<String, String> ann = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    ann.put(CONFIG_HASH, uid);
    ann.put(CONFIG_SEEN, seen);
    ann.put(CONFIG_SOURCE, "file");
    meta.setAnnotations(ann);
    PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    pod.setSpec(spec);
    spec.setNodeName(nodeName);
    List<Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    boolean hasAll = tolerations.stream().anyMatch(t -> (t.getKey() == null || t.getKey().isEmpty())
        && "Exists".equals(t.getOperator()) && "NoExecute".equals(t.getEffect()));
    if (!hasAll) {
      Toleration t = new Toleration();
      t.setOperator("Exists");
      t.setEffect("NoExecute");
      tolerations.add(t);
    }
    spec.setTolerations(tolerations);
    if (spec.getRestartPolicy() == null) {
      spec.setRestartPolicy("Always");
    }
    if (spec.getTerminationGracePeriodSeconds() == null) {
      spec.setTerminationGracePeriodSeconds(30L);
    }
    for (List<Container> list : new List[] {spec.getContainers(), spec.getInitContainers()}) {
      if (list == null) {
        continue;
      }
      for (Container c : list) {
        if (c.getImagePullPolicy() == null || c.getImagePullPolicy().isEmpty()) {
          c.setImagePullPolicy(pullPolicy(c.getImage()));
        }
      }
    }
    PodStatus status = new PodStatus();
    status.setPhase("Pending");
    pod.setStatus(status);
    return pod;
  }

  /** SetDefaults_Container: Always for ":latest" or no tag, IfNotPresent otherwise. */
  public static String pullPolicy(String image) {
    if (image == null) {
      return "IfNotPresent";
    }
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      return "IfNotPresent";
    }
    int slash = name.lastIndexOf('/');
    int colon = name.indexOf(':', slash + 1);
    if (colon < 0 || name.substring(colon + 1).equals("latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  /** The mirror pod to create in the apiserver for a static pod: its annotations plus config.mirror, owned by the node. */
  public static Pod mirror(Pod staticPod, Node node) {
    Pod mirror = new PodBuilder(staticPod).build();
    ObjectMeta meta = mirror.getMetadata();
    Map<String, String> ann = new LinkedHashMap<>(meta.getAnnotations());
    ann.put(CONFIG_MIRROR, hash(staticPod));
    meta.setAnnotations(ann);
    meta.setUid(null);
    meta.setResourceVersion(null);
    OwnerReference owner = new OwnerReference();
    owner.setApiVersion("v1");
    owner.setKind("Node");
    owner.setName(node.getMetadata().getName());
    owner.setUid(node.getMetadata().getUid());
    owner.setController(true);
    meta.setOwnerReferences(List.of(owner));
    mirror.setStatus(null);
    return mirror;
  }

  public static boolean isMirror(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(CONFIG_MIRROR);
  }

  public static String hash(Pod staticPod) {
    return staticPod.getMetadata().getAnnotations().get(CONFIG_HASH);
  }

  /** kubepod.IsMirrorPodOf: same full name and the mirror's hash is the static pod's. */
  public static boolean isMirrorOf(Pod mirror, Pod staticPod) {
    if (!mirror.getMetadata().getName().equals(staticPod.getMetadata().getName())
        || !mirror.getMetadata().getNamespace().equals(staticPod.getMetadata().getNamespace())) {
      return false;
    }
    String h = mirror.getMetadata().getAnnotations() == null ? null
        : mirror.getMetadata().getAnnotations().get(CONFIG_MIRROR);
    return h != null && h.equals(hash(staticPod));
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
