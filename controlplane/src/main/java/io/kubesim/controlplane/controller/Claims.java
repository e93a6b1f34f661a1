package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.log.Klog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * pkg/controller/controller_ref_manager.go ClaimObject for any kind: a controller keeps what it
 * owns and its selector matches, releases what it owns and no longer matches (unless it is being
 * deleted), and adopts matching orphans (after an uncached read shows it is not being deleted).
 */
public final class Claims {

  private Claims() {}

  /**
   * Claims {@code candidates} for {@code owner}; {@code then} gets the claimed objects (adopted ones
   * as patched) and whether any adoption or release failed.
   */
  public static <T extends HasMetadata> void claim(ApiClient client, Klog log, HasMetadata owner,
      ResourceType ownerType, LabelSelector selector, ResourceType type, List<T> candidates,
      BiConsumer<List<T>, Boolean> then) {
    List<T> claimed = new ArrayList<>();
    List<T> toAdopt = new ArrayList<>();
    List<T> toRelease = new ArrayList<>();
    String uid = owner.getMetadata().getUid();
    boolean deleting = owner.getMetadata().getDeletionTimestamp() != null;
    for (T o : candidates) {
      OwnerReference ref = Owners.controllerOf(o);
      boolean match = selector.matches(o.getMetadata().getLabels());
      if (ref != null) {
        if (!Objects.equals(ref.getUid(), uid)) {
          continue;
        }
        if (match) {
          claimed.add(o);
        } else if (!deleting) {
          toRelease.add(o);
        }
        continue;
      }
      if (deleting || !match || o.getMetadata().getDeletionTimestamp() != null
          || !Objects.equals(owner.getMetadata().getNamespace(), o.getMetadata().getNamespace())) {
        continue;
      }
      toAdopt.add(o);
    }
    if (toAdopt.isEmpty() && toRelease.isEmpty()) {
      then.accept(claimed, false);
      return;
    }
    boolean[] failed = {false};
    int[] left = {toAdopt.size() + toRelease.size()};
    List<T> adopted = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Runnable one = () -> {
      if (--left[0] == 0) {
        List<T> all = new ArrayList<>(claimed);
        all.addAll(adopted);
        then.accept(all, failed[0]);
      }
    };
    String gvk = owner.getApiVersion() + ", Kind=" + owner.getKind();
    for (T o : toRelease) {
      log.v(2, "Patching " + type.singular() + " to remove its controllerRef", type.singular(),
          o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), "gvk", gvk,
          "controller", owner.getMetadata().getName());
      client.patch(type, o.getMetadata().getNamespace(), o.getMetadata().getName(), PatchType.STRATEGIC_MERGE_PATCH,
          Owners.releasePatch(o.getMetadata().getUid(), List.of(uid)), r -> {
            if (r instanceof Api.Failed f && f.code() != 404 && f.code() != 422) {
              failed[0] = true;
            }
            one.run();
          });
    }
    if (toAdopt.isEmpty()) {
      return;
    }
    client.get(ownerType, owner.getMetadata().getNamespace(), owner.getMetadata().getName(), g -> {
      boolean canAdopt = g instanceof Api.Ok ok && Objects.equals(ok.object().getMetadata().getUid(), uid)
          && ok.object().getMetadata().getDeletionTimestamp() == null;
      for (T o : toAdopt) {
        if (!canAdopt) {
          failed[0] = true;
          one.run();
          continue;
        }
        client.patch(type, o.getMetadata().getNamespace(), o.getMetadata().getName(), PatchType.STRATEGIC_MERGE_PATCH,
            Owners.adoptPatch(owner, o.getMetadata().getUid()), r -> {
              if (r instanceof Api.Ok ok) {
                @SuppressWarnings("unchecked")
                T patched = (T) ok.object();
                adopted.add(patched);
              } else if (!(r instanceof Api.Failed f && f.code() == 404)) {
                failed[0] = true;
              }
              one.run();
            });
      }
    });
  }

  /** The resource type of a kind known to kubesim, for claims by controllers of any kind. */
  public static ResourceType typeOf(HasMetadata o) {
    return Resources.of(o);
  }
}
