package io.kubesim.controlplane.apiserver.patch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}), applied the
 * way kube-apiserver applies it (k8s.io/apimachinery/pkg/util/strategicpatch, {@code
 * StrategicMergeMapPatch}: parallel lists merged, unmatched nulls ignored).
 *
 * <p>Objects merge key by key and {@code null} deletes a key. Lists follow the field's {@link
 * FieldStrategy}: merged element-wise by merge key (objects) or by value (primitives) under
 * strategy merge, replaced whole otherwise. The directives:
 *
 * <ul>
 *   <li>{@code "$patch": "replace"} in an object replaces the object by the rest of the patch object;
 *       as an element of a merging list it replaces the list by the other patch elements.
 *   <li>{@code "$patch": "delete"} in an object empties it; as an element of a merging list it
 *       removes the elements with the same merge key value.
 *   <li>{@code "$patch": "merge"} is refused, as by the Go code: merging is already the default.
 *   <li>{@code "$retainKeys": [...]} clears the keys of the object that are not listed (all patch
 *       keys must be listed).
 *   <li>{@code "$setElementOrder/<field>": [...]} gives the order of the merged list; elements only
 *       the server has keep their relative place.
 *   <li>{@code "$deleteFromPrimitiveList/<field>": [...]} removes values from a list of primitives.
 * </ul>
 *
 * <p>Where the Go code copies a patch value verbatim (a key the original lacks, a list or object
 * replaced whole, a new element of a merging list), the value is taken without its {@code null}
 * members and without directive keys; objects carrying {@code $patch} are dropped where Go drops
 * them. The Go apiserver gets the same effect by decoding the result into its typed structs, which
 * know no directive keys and turn nulls into absent optional fields.
 *
 * <p>Neither input is modified. Errors are {@link PatchException}s.
 */
public final class StrategicMergePatch {

  static final String DIRECTIVE_MARKER = "$patch";
  static final String DELETE_DIRECTIVE = "delete";
  static final String REPLACE_DIRECTIVE = "replace";
  static final String MERGE_DIRECTIVE = "merge";
  static final String RETAIN_KEYS_DIRECTIVE = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER_PREFIX = "$setElementOrder";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final PatchSchema schema;

  private StrategicMergePatch(PatchSchema schema) {
    this.schema = schema;
  }

  /**
   * Applies {@code patch} to {@code original} under {@code schema} and returns the result, a new
   * tree. A missing or null original counts as an empty object, a null patch changes nothing.
   *
   * @throws PatchException when either document is not an object or the patch cannot be applied
   */
  public static JsonNode apply(JsonNode original, JsonNode patch, PatchSchema schema) {
    return apply(original, patch, schema, false);
  }

  /** As {@link #apply}, merging into {@code original} itself: for a tree the caller owns and no longer needs. */
  public static JsonNode applyInPlace(JsonNode original, JsonNode patch, PatchSchema schema) {
    return apply(original, patch, schema, true);
  }

  private static JsonNode apply(JsonNode original, JsonNode patch, PatchSchema schema, boolean inPlace) {
    ObjectNode target;
    if (original == null || original.isNull() || original.isMissingNode()) {
      target = NODES.objectNode();
    } else if (original.isObject()) {
      target = inPlace ? (ObjectNode) original : (ObjectNode) original.deepCopy();
    } else {
      throw new PatchException("strategic merge patch: the original document must be a JSON object,"
          + " not " + typeName(original));
    }
    if (patch == null || patch.isNull() || patch.isMissingNode()) {
      return target;
    }
    if (!patch.isObject()) {
      throw new PatchException(
          "strategic merge patch: the patch must be a JSON object, not " + typeName(patch));
    }
    StrategicMergePatch merger = new StrategicMergePatch(schema == null ? PatchSchema.NONE : schema);
    return merger.mergeMap(target, (ObjectNode) patch, List.of());
  }

  // ---------------------------------------------------------------------------------------------
  // Objects

  /** Merges {@code patch} into {@code original}, which this class owns and may change. */
  private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, List<String> path) {
    JsonNode directive = patch.get(DIRECTIVE_MARKER);
    if (directive != null) {
      if (isText(directive, REPLACE_DIRECTIVE)) {
        return (ObjectNode) strip(patch);
      }
      if (isText(directive, DELETE_DIRECTIVE)) {
        return NODES.objectNode();
      }
      throw new PatchException("unknown patch directive \"$patch\": " + directive + " in the object at "
          + describe(path) + " (an object accepts \"replace\" or \"delete\"): " + patch);
    }

    Map<String, JsonNode> remaining = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      remaining.put(e.getKey(), e.getValue());
    }
    applyRetainKeys(original, remaining, path);
    mergeOrderedLists(original, remaining, path);

    List<Map.Entry<String, JsonNode>> deletionLists = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : remaining.entrySet()) {
      if (e.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
        deletionLists.add(e);
      } else {
        mergeField(original, e.getKey(), e.getValue(), false, path);
      }
    }
    for (Map.Entry<String, JsonNode> e : deletionLists) {
      String field = extractKey(e.getKey(), DELETE_FROM_PRIMITIVE_LIST_PREFIX, path);
      mergeField(original, field.isEmpty() ? e.getKey() : field, e.getValue(), true, path);
    }
    return original;
  }

  private void mergeField(ObjectNode original, String key, JsonNode patchValue, boolean deletionList,
      List<String> path) {
    if (patchValue.isNull()) {
      original.remove(key);
      return;
    }
    JsonNode originalValue = original.get(key);
    if (originalValue == null || kindOf(originalValue) != kindOf(patchValue)) {
      if (!deletionList) {
        putCleaned(original, key, patchValue);
      }
      return;
    }
    List<String> fieldPath = child(path, key);
    switch (kindOf(originalValue)) {
      case OBJECT -> {
        FieldStrategy meta = schema.lookup(fieldPath);
        original.set(key, meta.isReplace()
            ? strip(patchValue)
            : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, fieldPath));
      }
      case ARRAY -> {
        FieldStrategy meta = schema.lookup(fieldPath);
        original.set(key, mergeList((ArrayNode) originalValue, (ArrayNode) patchValue, meta,
            deletionList, fieldPath).merged());
      }
      default -> putCleaned(original, key, patchValue);
    }
  }

  private static void putCleaned(ObjectNode original, String key, JsonNode patchValue) {
    JsonNode cleaned = clean(patchValue);
    if (cleaned == null) {
      original.remove(key);
    } else {
      original.set(key, cleaned);
    }
  }

  /** {@code $retainKeys}: clears the original's keys that are not listed. */
  private static void applyRetainKeys(ObjectNode original, Map<String, JsonNode> patch,
      List<String> path) {
    if (!patch.containsKey(RETAIN_KEYS_DIRECTIVE)) {
      return;
    }
    JsonNode list = patch.remove(RETAIN_KEYS_DIRECTIVE);
    if (!list.isArray()) {
      throw new PatchException("invalid patch format of retainKeys: \"$retainKeys\" at "
          + describe(path) + " must be a list, not " + typeName(list));
    }
    Set<String> retained = new HashSet<>();
    for (JsonNode name : list) {
      if (name.isString()) {
        retained.add(name.stringValue());
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.entrySet()) {
      String key = e.getKey();
      if (e.getValue().isNull() || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
          || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
        continue;
      }
      if (!retained.contains(key)) {
        throw new PatchException("invalid patch format of retainKeys: the patch sets \"" + key
            + "\" at " + describe(path) + " but its $retainKeys list " + list + " does not name it");
      }
    }
    List<String> names = new ArrayList<>(original.propertyNames());
    for (String name : names) {
      if (!retained.contains(name)) {
        original.remove(name);
      }
    }
  }

  /**
   * {@code $setElementOrder/<field>}: merges the field's patch list (if any) and orders the result:
   * the listed order first, then the patch's, then the original's for server-only elements.
   */
  private void mergeOrderedLists(ObjectNode original, Map<String, JsonNode> patch,
      List<String> path) {
    for (String key : new ArrayList<>(patch.keySet())) {
      if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
        continue;
      }
      JsonNode order = patch.remove(key);
      if (!order.isArray()) {
        throw new PatchException("invalid patch format of setElementOrder list: \"" + key + "\" at "
            + describe(path) + " must be a list, not " + typeName(order));
      }
      String field = extractKey(key, SET_ELEMENT_ORDER_PREFIX, path);
      List<String> fieldPath = child(path, field);
      JsonNode originalList = original.get(field);
      JsonNode patchList = patch.get(field);
      if (originalList != null && !originalList.isArray()) {
        throw new PatchException("\"" + key + "\" orders " + describe(fieldPath)
            + ", which is not a list but " + typeName(originalList) + " in the original");
      }
      if (patchList != null && !patchList.isArray()) {
        throw new PatchException("\"" + key + "\" orders " + describe(fieldPath)
            + ", which is not a list but " + typeName(patchList) + " in the patch");
      }
      FieldStrategy meta = schema.lookup(fieldPath);
      String mergeKey = meta.mergeKey();
      List<JsonNode> orderElements = elements(order);
      List<JsonNode> originalElements = originalList == null ? List.of() : elements(originalList);
      List<JsonNode> patchElements = patchList == null ? List.of() : elements(patchList);
      validateAgainstOrder(patchElements, orderElements, mergeKey, fieldPath);

      List<JsonNode> merged;
      // the original's order as the Go code sees it after merging (see SliceResult)
      List<JsonNode> serverOrder = originalElements;
      if (originalList != null && patchList == null) {
        merged = originalElements;
      } else if (originalList == null && patchList != null) {
        merged = elements(clean(patchList));
      } else if (originalList != null) {
        SliceResult result = mergeList((ArrayNode) originalList, (ArrayNode) patchList, meta, false,
            fieldPath);
        merged = elements(result.merged());
        serverOrder = result.originalView();
      } else {
        continue;
      }
      patch.remove(field);

      List<JsonNode> patchItems = new ArrayList<>();
      List<JsonNode> serverOnly = new ArrayList<>();
      partition(merged, orderElements, mergeKey, fieldPath, patchItems, serverOnly);
      boolean objects = elementKind(fieldPath, originalElements, patchElements) == Kind.OBJECT;
      original.set(field, toArray(normalizeElementOrder(patchItems, serverOnly, orderElements,
          serverOrder, mergeKey, objects, fieldPath)));
    }
  }

  /**
   * The patch list's elements must appear in the {@code $setElementOrder} list, in the same
   * relative order (deletions and other directive elements aside).
   */
  private static void validateAgainstOrder(List<JsonNode> patchList, List<JsonNode> order,
      String mergeKey, List<String> path) {
    if (order.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> items = patchList;
    if (!mergeKey.isEmpty()) {
      items = new ArrayList<>();
      for (JsonNode item : patchList) {
        requireObject(item, path);
        if (!isText(item.get(DIRECTIVE_MARKER), DELETE_DIRECTIVE)) {
          items.add(item);
        }
      }
    }
    int p = 0;
    int o = 0;
    while (p < items.size() && o < order.size()) {
      JsonNode item = items.get(p);
      if (item.isObject() && item.has(DIRECTIVE_MARKER)) {
        p++;
        continue;
      }
      if (mergeKeyValueEqual(item, order.get(o), mergeKey, path)) {
        p++;
      }
      o++;
    }
    if (p < items.size()) {
      throw new PatchException("the order in the patch list " + toArray(patchList) + " at "
          + describe(path) + " doesn't match its $setElementOrder list " + toArray(order));
    }
  }

  private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey,
      List<String> path) {
    if (mergeKey.isEmpty()) {
      return keyOf(left).equals(keyOf(right));
    }
    requireObject(left, path);
    requireObject(right, path);
    return keyOf(requireMergeKey(left, mergeKey, path))
        .equals(keyOf(requireMergeKey(right, mergeKey, path)));
  }

  // ---------------------------------------------------------------------------------------------
  // Lists

  /**
   * A merged list, and the original list as the Go code sees it afterwards. Go merges a list in the
   * backing array of the original slice: a {@code $patch: delete} element shifts the later
   * elements left, and elements new to the list are appended into the room that frees. The
   * {@code $setElementOrder} ordering then reads that array as the original order, so the merged
   * list comes out in a different order than it would from the untouched original. Kubernetes
   * tests pin that order, so it is reproduced here.
   */
  private record SliceResult(ArrayNode merged, List<JsonNode> originalView) {}

  private SliceResult mergeList(ArrayNode original, ArrayNode patch, FieldStrategy meta,
      boolean deletionList, List<String> path) {
    // a deletion list works on any list, whatever its strategy
    if (meta.isMerge() || deletionList) {
      return mergeSlice(original, patch, meta.mergeKey(), deletionList, path);
    }
    return new SliceResult((ArrayNode) strip(patch), elements(original));
  }

  private SliceResult mergeSlice(ArrayNode originalNode, ArrayNode patchNode, String mergeKey,
      boolean deletionList, List<String> path) {
    List<JsonNode> original = elements(originalNode);
    List<JsonNode> patch = elements(patchNode);
    JsonNode[] view = original.toArray(new JsonNode[0]);
    if (original.isEmpty() && patch.isEmpty()) {
      return new SliceResult(originalNode, original);
    }
    Kind kind = elementKind(path, original, patch);

    List<JsonNode> merged;
    if (kind != Kind.OBJECT) {
      if (deletionList) {
        Set<Key> doomed = new HashSet<>();
        patch.forEach(v -> doomed.add(keyOf(v)));
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode v : original) {
          if (!doomed.contains(keyOf(v))) {
            kept.add(v);
          }
        }
        return new SliceResult(toArray(kept), List.of(view));
      }
      // a set union; the order is settled below
      merged = new ArrayList<>();
      Set<Key> seen = new HashSet<>();
      for (JsonNode v : original) {
        if (seen.add(keyOf(v))) {
          merged.add(v);
        }
      }
      for (JsonNode v : patch) {
        if (seen.add(keyOf(v))) {
          merged.add(v.deepCopy());
        }
      }
    } else {
      if (mergeKey.isEmpty()) {
        throw new PatchException("cannot merge the list at " + describe(path)
            + ": its elements are objects but it declares no merge key");
      }
      // directive elements first: deletions by merge key, or replacement of the whole list
      List<JsonNode> plain = new ArrayList<>();
      boolean replace = false;
      for (JsonNode v : patch) {
        JsonNode directive = v.get(DIRECTIVE_MARKER);
        if (directive == null) {
          plain.add(v);
        } else if (isText(directive, DELETE_DIRECTIVE)) {
          JsonNode value = requireMergeKey(v, mergeKey, path);
          int at;
          while ((at = indexOfMergeKey(original, mergeKey, value)) >= 0) {
            original.remove(at);
            // the shift in the shared array; its last slot keeps its old element
            System.arraycopy(view, at + 1, view, at, original.size() - at);
          }
        } else if (isText(directive, REPLACE_DIRECTIVE)) {
          replace = true;
        } else if (isText(directive, MERGE_DIRECTIVE)) {
          throw new PatchException("\"$patch\": \"merge\" in the list at " + describe(path)
              + ": merging lists cannot yet be specified in the patch");
        } else {
          throw new PatchException("unknown patch directive \"$patch\": " + directive
              + " in an element of the list at " + describe(path)
              + " (a list element accepts \"replace\" or \"delete\"): " + v);
        }
      }
      if (replace) {
        original = new ArrayList<>();
        for (JsonNode v : plain) {
          original.add(strip(v));
        }
        patch = List.of();
      } else {
        patch = plain;
      }

      merged = new ArrayList<>(original);
      for (JsonNode v : patch) {
        JsonNode value = requireMergeKey(v, mergeKey, path);
        int at = indexOfMergeKey(merged, mergeKey, value);
        if (at >= 0) {
          ObjectNode m = mergeMap((ObjectNode) merged.get(at), (ObjectNode) v, path);
          merged.set(at, m);
          if (at < original.size()) {
            original.set(at, m);
          }
        } else {
          JsonNode added = strip(v);
          if (!replace && merged.size() < view.length) {
            // appended into the slots the deletions freed in the shared array
            view[merged.size()] = added;
          }
          merged.add(added);
        }
      }
    }

    List<JsonNode> patchItems = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    partition(merged, patch, mergeKey, path, patchItems, serverOnly);
    return new SliceResult(toArray(normalizeElementOrder(patchItems, serverOnly, patch, original,
        mergeKey, kind == Kind.OBJECT, path)), List.of(view));
  }

  private static int indexOfMergeKey(List<JsonNode> list, String mergeKey, JsonNode value) {
    Key wanted = keyOf(value);
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = list.get(i).get(mergeKey);
      if (candidate != null && keyOf(candidate).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  /** Splits {@code merged} into the elements {@code by} names and the others, keeping order. */
  private static void partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey,
      List<String> path, List<JsonNode> inBy, List<JsonNode> notInBy) {
    Set<Key> keys = new HashSet<>();
    if (mergeKey.isEmpty()) {
      by.forEach(v -> keys.add(keyOf(v)));
      for (JsonNode v : merged) {
        (keys.contains(keyOf(v)) ? inBy : notInBy).add(v);
      }
      return;
    }
    for (JsonNode v : by) {
      requireObject(v, path);
      JsonNode value = v.get(mergeKey);
      if (value != null) {
        keys.add(keyOf(value));
      }
    }
    for (JsonNode v : merged) {
      requireObject(v, path);
      Key key = keyOf(requireMergeKey(v, mergeKey, path));
      (keys.contains(key) ? inBy : notInBy).add(v);
    }
  }

  /**
   * Orders the patch elements by {@code patchOrder}, the server-only elements by {@code
   * serverOrder}, then interleaves them: a server-only element goes before a patch element when the
   * original had it first, and patch elements new to the original come as early as they can.
   */
  private static List<JsonNode> normalizeElementOrder(List<JsonNode> patchItems,
      List<JsonNode> serverOnly, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
      String mergeKey, boolean objects, List<String> path) {
    List<JsonNode> right = sortByOrder(patchItems, patchOrder, mergeKey, objects, path);
    List<JsonNode> left = sortByOrder(serverOnly, serverOrder, mergeKey, objects, path);
    Map<Key, Integer> serverPositions = positions(serverOrder, mergeKey, objects);

    List<JsonNode> result = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        result.add(right.get(j++));
      } else if (j >= right.size()) {
        result.add(left.get(i++));
      } else {
        Integer li = serverPositions.get(orderKey(left.get(i), mergeKey, objects));
        Integer ri = serverPositions.get(orderKey(right.get(j), mergeKey, objects));
        if (li != null && ri != null && li < ri) {
          result.add(left.get(i++));
        } else {
          result.add(right.get(j++));
        }
      }
    }
    return result;
  }

  /**
   * A stable sort of {@code items} by their position in {@code order}; deletion elements go last.
   * Items absent from {@code order} follow the Go comparator, which calls them "less" than anything.
   */
  private static List<JsonNode> sortByOrder(List<JsonNode> items, List<JsonNode> order,
      String mergeKey, boolean objects, List<String> path) {
    List<JsonNode> toSort = items;
    List<JsonNode> deletions = List.of();
    if (objects) {
      for (JsonNode v : items) {
        requireObject(v, path);
        requireMergeKey(v, mergeKey, path);
      }
      for (JsonNode v : order) {
        requireObject(v, path);
        requireMergeKey(v, mergeKey, path);
      }
      toSort = new ArrayList<>();
      deletions = new ArrayList<>();
      for (JsonNode v : items) {
        (isText(v.get(DIRECTIVE_MARKER), DELETE_DIRECTIVE) ? deletions : toSort).add(v);
      }
    }
    Map<Key, Integer> positions = positions(order, mergeKey, objects);
    int n = toSort.size();
    int[] pos = new int[n];
    Integer[] perm = new Integer[n];
    boolean allFound = true;
    for (int k = 0; k < n; k++) {
      Integer p = positions.get(orderKey(toSort.get(k), mergeKey, objects));
      pos[k] = p == null ? -1 : p;
      perm[k] = k;
      allFound &= p != null;
    }
    if (allFound) {
      java.util.Arrays.sort(perm, (a, b) -> Integer.compare(pos[a], pos[b]));
    } else {
      // insertion sort with the Go "less": i < j when both are found and i comes first, and
      // whenever either is not found
      for (int a = 1; a < n; a++) {
        for (int b = a; b > 0; b--) {
          int x = perm[b];
          int y = perm[b - 1];
          boolean less = pos[x] < 0 || pos[y] < 0 || pos[x] < pos[y];
          if (!less) {
            break;
          }
          perm[b] = y;
          perm[b - 1] = x;
        }
      }
    }
    List<JsonNode> sorted = new ArrayList<>(n + deletions.size());
    for (Integer k : perm) {
      sorted.add(toSort.get(k));
    }
    sorted.addAll(deletions);
    return sorted;
  }

  private static Map<Key, Integer> positions(List<JsonNode> order, String mergeKey,
      boolean objects) {
    Map<Key, Integer> positions = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      positions.putIfAbsent(orderKey(order.get(i), mergeKey, objects), i);
    }
    return positions;
  }

  private static Key orderKey(JsonNode item, String mergeKey, boolean objects) {
    if (!objects) {
      return keyOf(item);
    }
    return item.isObject() ? keyOf(item.get(mergeKey)) : keyOf(null);
  }

  /** The one kind of all elements of the lists: mixed kinds and lists of lists are refused. */
  private static Kind elementKind(List<String> path, List<JsonNode> first, List<JsonNode> second) {
    Kind kind = null;
    for (List<JsonNode> list : List.of(first, second)) {
      for (JsonNode v : list) {
        Kind k = kindOf(v);
        if (kind == null) {
          if (k == Kind.ARRAY) {
            throw new PatchException("lists of lists are not supported (at " + describe(path) + ")");
          }
          if (k == Kind.NULL) {
            throw new PatchException("null is not a valid list element (at " + describe(path) + ")");
          }
          kind = k;
        } else if (k != kind) {
          throw new PatchException("list element types are not identical at " + describe(path)
              + ": " + toArray(first) + " and " + toArray(second));
        }
      }
    }
    if (kind == null) {
      throw new PatchException("no elements in any of the given lists at " + describe(path));
    }
    return kind;
  }

  // ---------------------------------------------------------------------------------------------
  // Values taken from the patch

  private static boolean isDirectiveKey(String key) {
    return key.equals(DIRECTIVE_MARKER) || key.equals(RETAIN_KEYS_DIRECTIVE)
        || key.startsWith(SET_ELEMENT_ORDER_PREFIX)
        || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
  }

  /**
   * A patch value for a place the original does not have: objects with a {@code $patch} directive
   * are dropped (null is returned for the value itself), as are null members and directive keys.
   */
  private static JsonNode clean(JsonNode value) {
    if (value.isObject()) {
      JsonNode directive = value.get(DIRECTIVE_MARKER);
      if (directive != null && !directive.isNull()) {
        return null;
      }
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        if (e.getValue().isNull() || isDirectiveKey(e.getKey())) {
          continue;
        }
        JsonNode cleaned = clean(e.getValue());
        if (cleaned != null) {
          out.set(e.getKey(), cleaned);
        }
      }
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode element : value) {
        JsonNode cleaned = clean(element);
        if (cleaned != null) {
          out.add(cleaned);
        }
      }
      return out;
    }
    return value.deepCopy();
  }

  /** A patch value that replaces whole: a copy without null members and directive keys. */
  private static JsonNode strip(JsonNode value) {
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        if (!e.getValue().isNull() && !isDirectiveKey(e.getKey())) {
          out.set(e.getKey(), strip(e.getValue()));
        }
      }
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode element : value) {
        out.add(strip(element));
      }
      return out;
    }
    return value.deepCopy();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private enum Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL, OTHER }

  private static Kind kindOf(JsonNode node) {
    if (node.isObject()) {
      return Kind.OBJECT;
    } else if (node.isArray()) {
      return Kind.ARRAY;
    } else if (node.isString()) {
      return Kind.STRING;
    } else if (node.isNumber()) {
      return Kind.NUMBER;
    } else if (node.isBoolean()) {
      return Kind.BOOLEAN;
    } else if (node.isNull()) {
      return Kind.NULL;
    }
    return Kind.OTHER;
  }

  /** Equality of JSON values as Go's {@code ==} on decoded values sees it; numbers by value. */
  private record Key(Kind kind, Object value) {}

  private static final Key NULL_KEY = new Key(Kind.NULL, null);

  private static Key keyOf(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NULL_KEY;
    }
    Kind kind = kindOf(node);
    return switch (kind) {
      case STRING -> new Key(kind, node.stringValue());
      case NUMBER -> new Key(kind, normalize(node.decimalValue()));
      case BOOLEAN -> new Key(kind, node.booleanValue());
      default -> new Key(kind, node);
    };
  }

  private static BigDecimal normalize(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }

  private static boolean isText(JsonNode node, String text) {
    return node != null && node.isString() && text.equals(node.stringValue());
  }

  private static void requireObject(JsonNode node, List<String> path) {
    if (!node.isObject()) {
      throw new PatchException("expected an object in the list at " + describe(path)
          + ", but received " + typeName(node) + ": " + node);
    }
  }

  private static JsonNode requireMergeKey(JsonNode element, String mergeKey, List<String> path) {
    JsonNode value = element.get(mergeKey);
    if (value == null) {
      throw new PatchException("map: " + element + " does not contain declared merge key: "
          + mergeKey + " (list at " + describe(path) + ")");
    }
    return value;
  }

  /** The field a {@code $setElementOrder/...} or {@code $deleteFromPrimitiveList/...} key names. */
  private static String extractKey(String key, String prefix, List<String> path) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      String what = prefix.equals(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
          ? "primitive list" : "setElementOrder list";
      throw new PatchException("invalid patch format of " + what + ": \"" + key + "\" at "
          + describe(path) + " is not of the form \"" + prefix + "/<field>\"");
    }
    return key.substring(slash + 1);
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> list = new ArrayList<>(array.size());
    array.forEach(list::add);
    return list;
  }

  private static ArrayNode toArray(List<JsonNode> list) {
    ArrayNode array = NODES.arrayNode(list.size());
    list.forEach(array::add);
    return array;
  }

  private static List<String> child(List<String> path, String name) {
    List<String> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(name);
    return List.copyOf(p);
  }

  private static String describe(List<String> path) {
    return path.isEmpty() ? "the object root" : String.join(".", path);
  }

  private static String typeName(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
