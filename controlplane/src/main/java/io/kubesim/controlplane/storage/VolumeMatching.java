package io.kubesim.controlplane.storage;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a claim finds its volume (pkg/controller/volume/persistentvolume/index.go and
 * component-helpers' FindMatchingVolume): among the volumes whose access modes include all the
 * claim asks for, those with the fewest extra modes first; within them a volume already meant for
 * this claim wins outright, otherwise the smallest Available volume that is big enough, of the
 * claim's class and volume mode, selected by the claim's label selector (and, for the scheduler,
 * allowed on the node).
 */
public final class VolumeMatching {

  private VolumeMatching() {}

  /**
   * findBestMatchForClaim, the persistent volume controller's search (no node). With
   * {@code delayBinding} only a volume pre-bound to the claim is returned: the scheduler binds the rest.
   */
  public static PersistentVolume findBestMatch(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
      boolean delayBinding) {
    for (List<PersistentVolume> group : byMatchingAccessModes(claim, volumes)) {
      PersistentVolume v = findMatchingVolume(claim, group, null, null, Set.of(), delayBinding);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * allPossibleMatchingAccessModes: the volumes grouped by their set of access modes, only sets
   * that include every mode of the claim, smallest sets first (ties by the modes' names).
   */
  static List<List<PersistentVolume>> byMatchingAccessModes(PersistentVolumeClaim claim,
      Collection<PersistentVolume> volumes) {
    List<String> wanted = claim.getSpec() == null || claim.getSpec().getAccessModes() == null ? List.of()
        : claim.getSpec().getAccessModes();
    TreeMap<String, List<PersistentVolume>> groups = new TreeMap<>();
    TreeMap<String, Integer> sizes = new TreeMap<>();
    for (PersistentVolume pv : volumes) {
      Set<String> modes = new TreeSet<>(pv.getSpec() == null || pv.getSpec().getAccessModes() == null ? List.of()
          : pv.getSpec().getAccessModes());
      if (!modes.containsAll(wanted)) {
        continue;
      }
      String key = String.join(",", modes);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(pv);
      sizes.put(key, modes.size());
    }
    List<String> keys = new ArrayList<>(groups.keySet());
    keys.sort(Comparator.comparing(sizes::get));
    List<List<PersistentVolume>> out = new ArrayList<>();
    for (String k : keys) {
      List<PersistentVolume> g = groups.get(k);
      g.sort(Comparator.comparing(v -> v.getMetadata().getName()));
      out.add(g);
    }
    return out;
  }

  /**
   * FindMatchingVolume. {@code nodeName} is null on the controller's path; on the scheduler's the
   * volume's node affinity must admit the node and the access modes must match.
   *
   * @param excluded names of volumes already taken by other claims of the same pod
   */
  public static PersistentVolume findMatchingVolume(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
      String nodeName, Map<String, String> nodeLabels, Set<String> excluded, boolean delayBinding) {
    BigDecimal requested = StorageHelpers.requestedStorage(claim);
    String requestedClass = StorageHelpers.claimClass(claim);
    LabelSelector selector = null;
    if (claim.getSpec() != null && claim.getSpec().getSelector() != null) {
      try {
        selector = LabelSelector.from(claim.getSpec().getSelector());
      } catch (SelectorParseException e) {
        return null;
      }
    }
    PersistentVolume smallest = null;
    BigDecimal smallestSize = null;
    for (PersistentVolume volume : volumes) {
      if (excluded.contains(volume.getMetadata().getName())) {
        continue;
      }
      if (volume.getSpec() != null && volume.getSpec().getClaimRef() != null
          && !StorageHelpers.boundToClaim(volume, claim)) {
        continue;
      }
      BigDecimal size = StorageHelpers.capacity(volume);
      if (size.compareTo(requested) < 0) {
        continue;
      }
      if (StorageHelpers.volumeModeMismatch(claim, volume)) {
        continue;
      }
      if (volume.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      boolean nodeAffinityValid = nodeName == null || StorageHelpers.nodeAffinityFits(volume, nodeName, nodeLabels);
      if (StorageHelpers.boundToClaim(volume, claim)) {
        // A volume meant for this claim is its volume, or (on a node it cannot reach) none.
        return nodeAffinityValid ? volume : null;
      }
      if (nodeName == null && delayBinding) {
        continue;
      }
      String phase = volume.getStatus() == null ? null : volume.getStatus().getPhase();
      if (!"Available".equals(phase)) {
        continue;
      }
      if (selector != null && !selector.matches(volume.getMetadata().getLabels())) {
        continue;
      }
      if (!StorageHelpers.volumeClass(volume).equals(requestedClass)) {
        continue;
      }
      if (!nodeAffinityValid) {
        continue;
      }
      if (nodeName != null && !StorageHelpers.accessModesFit(claim, volume)) {
        continue;
      }
      if (smallest == null || smallestSize.compareTo(size) > 0) {
        smallest = volume;
        smallestSize = size;
      }
    }
    return smallest;
  }

  /** checkVolumeSatisfyClaim: why a volume the claim names cannot serve it, or null if it can. */
  public static String checkVolumeSatisfyClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
    if (volume.getMetadata().getDeletionTimestamp() != null) {
      return "the volume is marked for deletion \"" + volume.getMetadata().getName() + "\"";
    }
    if (StorageHelpers.capacity(volume).compareTo(StorageHelpers.requestedStorage(claim)) < 0) {
      return "requested PV is too small";
    }
    if (!StorageHelpers.volumeClass(volume).equals(StorageHelpers.claimClass(claim))) {
      return "storageClassName does not match";
    }
    if (StorageHelpers.volumeModeMismatch(claim, volume)) {
      return "incompatible volumeMode";
    }
    if (!StorageHelpers.accessModesFit(claim, volume)) {
      return "incompatible accessMode";
    }
    return null;
  }
}
