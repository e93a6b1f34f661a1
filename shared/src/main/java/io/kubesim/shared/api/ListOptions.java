package io.kubesim.shared.api;

/**
 * The query of a list or watch, with the meaning of metav1.ListOptions. Nulls mean "not given".
 *
 * @param resourceVersion "" or null: most recent; "0": any; "N": not older than N (list) or
 *     strictly after N (watch)
 * @param resourceVersionMatch "NotOlderThan" or "Exact" (list only)
 * @param limit page size of a list, 0 for no limit
 * @param sendInitialEvents on a watch: start with ADDED events for the current state and end them
 *     with a bookmark annotated {@link Api#INITIAL_EVENTS_END}
 */
public record ListOptions(
    String labelSelector,
    String fieldSelector,
    String resourceVersion,
    String resourceVersionMatch,
    long limit,
    String continueToken,
    boolean allowWatchBookmarks,
    Boolean sendInitialEvents,
    Long timeoutSeconds) {

  public static final ListOptions ALL = new ListOptions(null, null, null, null, 0, null, false, null, null);

  public static ListOptions labels(String labelSelector) {
    return ALL.withLabelSelector(labelSelector);
  }

  public static ListOptions fields(String fieldSelector) {
    return ALL.withFieldSelector(fieldSelector);
  }

  public ListOptions withLabelSelector(String s) {
    return new ListOptions(s, fieldSelector, resourceVersion, resourceVersionMatch, limit, continueToken,
        allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withFieldSelector(String s) {
    return new ListOptions(labelSelector, s, resourceVersion, resourceVersionMatch, limit, continueToken,
        allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withResourceVersion(String rv) {
    return new ListOptions(labelSelector, fieldSelector, rv, resourceVersionMatch, limit, continueToken,
        allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withResourceVersionMatch(String match) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, match, limit, continueToken,
        allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withLimit(long l, String continueFrom) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, l, continueFrom,
        allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withBookmarks(boolean b) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, limit, continueToken,
        b, sendInitialEvents, timeoutSeconds);
  }

  public ListOptions withSendInitialEvents(Boolean b) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, limit, continueToken,
        allowWatchBookmarks, b, timeoutSeconds);
  }

  public ListOptions withTimeoutSeconds(Long t) {
    return new ListOptions(labelSelector, fieldSelector, resourceVersion, resourceVersionMatch, limit, continueToken,
        allowWatchBookmarks, sendInitialEvents, t);
  }
}
