package io.kubesim.controlplane.apiserver.patch;

import java.util.Objects;

/**
 * What the Go struct tags {@code patchStrategy} and {@code patchMergeKey} say about one field.
 *
 * <p>{@link Strategy#DEFAULT} is a field without a strategy tag: objects are merged key by key,
 * lists are replaced whole. {@link Strategy#MERGE} on a list merges it element-wise, by
 * {@link #mergeKey()} for lists of objects and by value for lists of primitives (where the merge key
 * is empty). {@link Strategy#REPLACE} replaces the value whole, also for objects. {@link
 * #retainKeys()} records the {@code retainKeys} strategy; when applying a patch it only matters
 * through the {@code $retainKeys} directive a client sends, exactly as in the Go implementation.
 */
public record FieldStrategy(Strategy strategy, String mergeKey, boolean retainKeys) {

  public enum Strategy { DEFAULT, MERGE, REPLACE }

  /** A field with no patch tags. */
  public static final FieldStrategy NONE = new FieldStrategy(Strategy.DEFAULT, "", false);

  public FieldStrategy {
    Objects.requireNonNull(strategy, "strategy");
    mergeKey = mergeKey == null ? "" : mergeKey;
  }

  /** {@code patchStrategy:"merge" patchMergeKey:"<mergeKey>"} on a list of objects. */
  public static FieldStrategy merge(String mergeKey) {
    return new FieldStrategy(Strategy.MERGE, mergeKey, false);
  }

  /** {@code patchStrategy:"merge,retainKeys" patchMergeKey:"<mergeKey>"} on a list of objects. */
  public static FieldStrategy mergeRetainKeys(String mergeKey) {
    return new FieldStrategy(Strategy.MERGE, mergeKey, true);
  }

  /** {@code patchStrategy:"merge"} on a list of primitives: a set union. */
  public static FieldStrategy mergePrimitives() {
    return new FieldStrategy(Strategy.MERGE, "", false);
  }

  /** {@code patchStrategy:"replace"}. */
  public static FieldStrategy replace() {
    return new FieldStrategy(Strategy.REPLACE, "", false);
  }

  /** {@code patchStrategy:"retainKeys"} on an object. */
  public static FieldStrategy retainKeysOnly() {
    return new FieldStrategy(Strategy.DEFAULT, "", true);
  }

  public boolean isMerge() {
    return strategy == Strategy.MERGE;
  }

  public boolean isReplace() {
    return strategy == Strategy.REPLACE;
  }
}
