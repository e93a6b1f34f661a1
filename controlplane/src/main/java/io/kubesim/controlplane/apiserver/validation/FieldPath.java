package io.kubesim.controlplane.apiserver.validation;

/**
 * A field path as k8s.io/apimachinery/pkg/util/validation/field.Path prints it: children joined by
 * dots, list indexes as "[3]" and map keys as "[key]".
 */
public final class FieldPath {

  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  /** A path from the root, e.g. {@code root("spec", "containers")}. */
  public static FieldPath root(String name, String... more) {
    FieldPath p = new FieldPath(name);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = new FieldPath(text.isEmpty() ? name : text + "." + name);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  public FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
