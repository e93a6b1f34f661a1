package io.kubesim.controlplane.store;

/**
 * Stamps a value with the revision it is stored at, as kube-apiserver's APIObjectVersioner writes
 * metadata.resourceVersion from etcd's modRevision. Called once per write, before the value is
 * visible to anyone.
 */
@FunctionalInterface
public interface Versioner {
  Object stamp(Object value, long revision);
}
