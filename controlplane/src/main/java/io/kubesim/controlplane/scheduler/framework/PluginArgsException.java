package io.kubesim.controlplane.scheduler.framework;

/** A plugin's args are invalid; {@code field} is the path inside the args ("scoringStrategy.type"). */
public final class PluginArgsException extends RuntimeException {
  private final String field;

  public PluginArgsException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  public String detail() {
    String m = getMessage();
    return m.substring(field.length() + 2);
  }
}
