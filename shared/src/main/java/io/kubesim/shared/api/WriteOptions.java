package io.kubesim.shared.api;

/**
 * Options of a write: {@code dryRun=All}, the field manager recorded in managedFields, and
 * server-side apply's {@code force}.
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean force) {

  public static final WriteOptions DEFAULT = new WriteOptions(false, null, false);

  public static WriteOptions manager(String fieldManager) {
    return new WriteOptions(false, fieldManager, false);
  }
}
