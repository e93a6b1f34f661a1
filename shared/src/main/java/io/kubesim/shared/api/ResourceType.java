package io.kubesim.shared.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;

/**
 * What kubesim knows of one kind of object: its API coordinates, how it is named in URLs and on
 * the command line, and the storage semantics the apiserver gives it.
 *
 * @param generation whether spec changes bump {@code metadata.generation}
 * @param subresources subresources served (status, scale, binding, eviction, log, exec, ...)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Class<? extends HasMetadata> type,
    boolean generation,
    Set<String> subresources) {

  /**
   * Group and plural name a kind; the record's own hash would walk the short names, categories and
   * subresources each time, and every apiserver request looks its kind up in a map.
   */
  @Override
  public int hashCode() {
    return 31 * group.hashCode() + plural.hashCode();
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "pods", "deployments.apps": how Kubernetes names the resource in error messages. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The store key prefix every object of this kind lives under, as kube-apiserver lays out etcd. */
  public String keyPrefix() {
    return "/registry/" + plural + "/";
  }

  /** The store key of one object. Cluster-scoped kinds ignore the namespace. */
  public String key(String namespace, String name) {
    // One concatenation each (every request and every cache lookup builds a key).
    return namespaced ? "/registry/" + plural + "/" + namespace + "/" + name : "/registry/" + plural + "/" + name;
  }

  /** The key prefix covering one namespace (or the whole kind for cluster-scoped kinds and a null namespace). */
  public String keyPrefix(String namespace) {
    return namespaced && namespace != null && !namespace.isEmpty() ? keyPrefix() + namespace + "/" : keyPrefix();
  }

  public boolean hasStatus() {
    return subresources.contains("status");
  }

  public String listKind() {
    return kind + "List";
  }

  @Override
  public String toString() {
    return groupResource();
  }
}
