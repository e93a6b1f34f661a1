package io.kubesim.controlplane.apiserver.validation;

/**
 * A field path as k8s.io/apimachinery/pkg/util/validation/field.Path prints it: children joined by
 * dots, list indexes as "[3]" and map keys as "[key]".
 *
 * <p>The text is built only when printed (an error message): validation makes paths for every
 * field it looks at, and almost all of them are never printed.
 */
public final class FieldPath {

  private final FieldPath parent;
  /** A child's name, or an index's or key's text with its brackets. */
  private final String segment;
  private final boolean bracketed;
  private String text;

  private FieldPath(FieldPath parent, String segment, boolean bracketed) {
    this.parent = parent;
    this.segment = segment;
    this.bracketed = bracketed;
  }

  /** A path from the root, e.g. {@code root("spec", "containers")}. */
  public static FieldPath root(String name, String... more) {
    FieldPath p = new FieldPath(null, name, false);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = new FieldPath(this, name, false);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath index(int i) {
    return new FieldPath(this, "[" + i + "]", true);
  }

  public FieldPath key(String key) {
    return new FieldPath(this, "[" + key + "]", true);
  }

  @Override
  public String toString() {
    if (text == null) {
      if (parent == null) {
        text = segment;
      } else {
        String p = parent.toString();
        text = bracketed || p.isEmpty() ? p + segment : p + "." + segment;
      }
    }
    return text;
  }
}
