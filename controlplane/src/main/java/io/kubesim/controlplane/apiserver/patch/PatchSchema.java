package io.kubesim.controlplane.apiserver.patch;

import java.util.List;

/**
 * The patch metadata of a kind, the part of its Go struct tags that strategic merge patch reads.
 *
 * <p>A field is named by its path of field names from the object root; entering a list element adds
 * no segment, so the containers' ports of a Deployment are {@code
 * [spec, template, spec, containers, ports]}. Fields the schema does not know answer {@link
 * FieldStrategy#NONE}.
 */
@FunctionalInterface
public interface PatchSchema {

  /** A schema without any strategy: every list is replaced, every object merged. */
  PatchSchema NONE = path -> FieldStrategy.NONE;

  FieldStrategy lookup(List<String> path);
}
