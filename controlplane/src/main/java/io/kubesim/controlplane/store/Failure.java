package io.kubesim.controlplane.store;

/** Why a store operation failed, as etcd would report it. */
public enum Failure {
  /** create: the key exists. */
  KEY_EXISTS,
  /** update/delete: the key does not exist. */
  NOT_FOUND,
  /** update/delete: the key's modRevision is not the one expected. */
  CONFLICT,
  /** the revision asked for is older than the retained history. */
  COMPACTED,
  /** the revision asked for has not happened yet. */
  FUTURE_REVISION
}
