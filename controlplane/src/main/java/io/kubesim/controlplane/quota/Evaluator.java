package io.kubesim.controlplane.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import io.kubesim.shared.api.ResourceType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How quota measures one kind of object (k8s.io/apiserver/pkg/quota/v1.Evaluator): which quota
 * resource names it answers for, what one object uses of them, which of them an object must
 * declare, and which quota scopes it falls in.
 */
public interface Evaluator {

  ResourceType type();

  /** Whether the evaluator charges for this operation ("CREATE" or "UPDATE"). */
  boolean handles(String operation);

  /** The names among {@code names} this evaluator measures, in their order. */
  List<String> matchingResources(Collection<String> names);

  /** What one object uses; {@code now} decides whether a terminating pod still counts. */
  Map<String, Parsed> usage(HasMetadata object, Instant now);

  /** Null if the object declares what the quota's {@code required} names need, else why not ("must specify ..."). */
  default String constraints(Collection<String> required, HasMetadata object) {
    return null;
  }

  /** Whether the object falls within one scope selector of a quota. Kinds without scopes fall in none. */
  default boolean matchesScope(ScopedResourceSelectorRequirement selector, HasMetadata object) {
    return false;
  }
}
