package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubesim.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Owner references, as metav1's GetControllerOf and NewControllerRef and controller_ref_manager.go. */
public final class Owners {

  private Owners() {}

  /** The owner reference with controller=true, or null. */
  public static OwnerReference controllerOf(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (OwnerReference r : refs) {
        if (Boolean.TRUE.equals(r.getController())) {
          return r;
        }
      }
    }
    return null;
  }

  /** A controller reference to {@code owner}, with blockOwnerDeletion, as controllers set on what they create. */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  /**
   * The strategic merge patch that adopts an object (controller_ref_manager.go
   * ownerRefControllerPatch): adds the controller reference, with the object's uid as precondition.
   */
  public static String adoptPatch(HasMetadata owner, String uid) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("apiVersion", owner.getApiVersion());
    ref.put("kind", owner.getKind());
    ref.put("name", owner.getMetadata().getName());
    ref.put("uid", owner.getMetadata().getUid());
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return Json.write(Map.of("metadata", Map.of("ownerReferences", List.of(ref), "uid", uid)));
  }

  /** The strategic merge patch that removes the owner references with these uids (GenerateDeleteOwnerRefStrategicMergeBytes). */
  public static String releasePatch(String dependentUid, List<String> ownerUids) {
    List<Map<String, Object>> deletes = new java.util.ArrayList<>();
    for (String u : ownerUids) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("$patch", "delete");
      d.put("uid", u);
      deletes.add(d);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("ownerReferences", deletes);
    meta.put("uid", dependentUid);
    return Json.write(Map.of("metadata", meta));
  }
}
