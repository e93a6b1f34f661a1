package io.kubesim.controlplane.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads multi-document Kubernetes YAML (or JSON) as users write it, into documents that remember
 * where they came from, and turns them into the fabric8 objects of their kind. Every error names
 * the file, the document (and its first line) and the field, the way kubectl reports them.
 */
public final class Manifests {

  /**
   * One YAML document: its position in the file, the line it starts on, its content, and the line
   * of each field and list item by path ("spec.timeline[0].node"), so that errors can point at them.
   */
  public record Document(String source, int index, int line, ObjectNode content, Map<String, Integer> lines) {
    public Document(String source, int index, int line, ObjectNode content) {
      this(source, index, line, content, Map.of());
    }

    public String kind() {
      return content.path("kind").asString("");
    }

    public String apiVersion() {
      return content.path("apiVersion").asString("");
    }

    public String name() {
      return content.path("metadata").path("name").asString("");
    }

    /** "scenario.yaml: document 3 (line 40, Deployment web)". */
    public String where() {
      return where(line);
    }

    /** As {@link #where()}, with the line of the field at path: "scenario.yaml: document 3 (line 52, Deployment web)". */
    public String where(String path) {
      return where(lineOf(path));
    }

    /** The line of the field at path, else of the nearest enclosing field the file spells out, else of the document. */
    public int lineOf(String path) {
      for (String p = path; !p.isEmpty(); p = parent(p)) {
        Integer l = lines.get(p);
        if (l != null) {
          return l;
        }
      }
      return line;
    }

    private String where(int at) {
      String what = kind().isEmpty() ? "" : ", " + kind() + (name().isEmpty() ? "" : " " + name());
      return source + ": document " + index + " (line " + at + what + ")";
    }

    private static String parent(String path) {
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      return cut < 0 ? "" : path.substring(0, cut);
    }
  }

  private Manifests() {}

  public static List<Document> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ManifestException(file + ": no such file");
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  public static List<Document> readResource(String resource) {
    try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ManifestException("classpath resource " + resource + " is missing");
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ManifestException(resource + ": cannot read: " + e.getMessage());
    }
  }

  /** Splits and parses YAML documents; empty documents are skipped, as kubectl skips them. */
  public static List<Document> parse(String source, String text) {
    return parse(source, text, 1);
  }

  /**
   * As {@link #parse(String, String)}, for text that starts on line {@code firstLine} of its file
   * (a manifest held in a block scalar of another document): lines are given in the file's terms.
   */
  public static List<Document> parse(String source, String text, int firstLine) {
    int shift = firstLine - 1;
    List<Document> docs = new ArrayList<>();
    List<Map<String, Integer>> fieldLines = fieldLines(text, shift);
    int index = 0;
    try (JsonParser p = Json.YAML.createParser(text)) {
      Iterator<JsonNode> it = Json.YAML.readValues(p, JsonNode.class);
      while (true) {
        int line;
        JsonNode node;
        try {
          if (!it.hasNext()) {
            break;
          }
          TokenStreamLocation loc = p.currentLocation();
          node = it.next();
          line = Math.max(1, loc.getLineNr()) + shift;
        } catch (JacksonException e) {
          throw new ManifestException(source + ": document " + (index + 1) + ": invalid YAML: "
              + oneLine(e.getOriginalMessage()) + at(e.getLocation(), shift));
        }
        index++;
        if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
          continue;
        }
        if (!node.isObject()) {
          throw new ManifestException(source + ": document " + index + " (line " + line
              + "): a manifest must be a mapping, not " + node.getNodeType().toString().toLowerCase());
        }
        docs.add(new Document(source, index, line, (ObjectNode) node,
            index <= fieldLines.size() ? fieldLines.get(index - 1) : Map.of()));
      }
    } catch (JacksonException e) {
      throw new ManifestException(source + ": invalid YAML: " + oneLine(e.getOriginalMessage())
          + at(e.getLocation(), shift));
    }
    return docs;
  }

  /** For each document of the text, the line of every field and list item by path; empty where the YAML is bad. */
  private static List<Map<String, Integer>> fieldLines(String text, int shift) {
    List<Map<String, Integer>> out = new ArrayList<>();
    try (JsonParser p = Json.YAML.createParser(text)) {
      while (p.nextToken() != null) {
        Map<String, Integer> lines = new HashMap<>();
        walk(p, "", lines);
        lines.replaceAll((path, line) -> line + shift);
        out.add(Map.copyOf(lines));
      }
    } catch (JacksonException e) {
      // the parse proper reports the error; lines found so far still serve
    }
    return out;
  }

  private static void walk(JsonParser p, String path, Map<String, Integer> lines) {
    if (p.currentToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
        lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
        p.nextToken();
        walk(p, child, lines);
      }
    } else if (p.currentToken() == JsonToken.START_ARRAY) {
      for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
        String child = path + "[" + i + "]";
        lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
        walk(p, child, lines);
      }
    }
  }

  /**
   * The YAML parser's message in one line: its context and problem, without the quoted snippets
   * and carets it draws under " in reader, line L, column C:" (the location is given apart).
   */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    String[] lines = message.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("in reader")) {
        // the snippet and the caret under it follow
        i += 2;
      } else if (!l.isEmpty()) {
        kept.add(l);
      }
    }
    return String.join(": ", kept);
  }

  private static String at(TokenStreamLocation loc, int shift) {
    return loc == null || loc.getLineNr() < 1 ? "" : " (line " + (loc.getLineNr() + shift) + ", column "
        + loc.getColumnNr() + ")";
  }

  /** The kubesim kind a document declares, or an error naming it. */
  public static ResourceType typeOf(Document d) {
    if (d.apiVersion().isEmpty()) {
      throw new ManifestException(d.where() + ": apiVersion: Required value");
    }
    if (d.kind().isEmpty()) {
      throw new ManifestException(d.where() + ": kind: Required value");
    }
    return Resources.byKind(d.apiVersion(), d.kind()).orElseThrow(() -> new ManifestException(d.where("kind")
        + ": no kind \"" + d.kind() + "\" is registered for version \"" + d.apiVersion() + "\" in kubesim"));
  }

  /**
   * The document as an object of its kind. Fields the kind does not have are errors, as with
   * kubectl's default strict validation ({@code unknown field "spec.foo"}).
   */
  public static HasMetadata toObject(Document d) {
    ResourceType type = typeOf(d);
    HasMetadata obj = convert(d, d.content(), type.type());
    List<String> unknown = new ArrayList<>();
    UnknownFields.collect(obj, "", unknown);
    if (!unknown.isEmpty()) {
      throw new ManifestException(d.where(unknown.get(0)) + ": unknown field \"" + unknown.get(0) + "\""
          + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : ""));
    }
    return obj;
  }

  /** Converts a document (or part of it) to a type, with errors naming the field. */
  public static <T> T convert(Document d, JsonNode node, Class<T> type) {
    try {
      return Json.convert(node, type);
    } catch (DatabindException e) {
      String path = fieldPath(e);
      throw new ManifestException(d.where(path) + ": " + (path.isEmpty() ? "" : path + ": ") + describe(e));
    } catch (JacksonException e) {
      throw new ManifestException(d.where() + ": " + e.getOriginalMessage());
    }
  }

  private static String fieldPath(DatabindException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(DatabindException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "invalid value";
    }
    // Jackson names Java types; say what the field wanted in Kubernetes' terms.
    if (m.contains("Integer") || m.contains("`int`") || m.contains("Long") || m.contains("`long`")) {
      return "expected an integer" + found(m);
    }
    if (m.contains("Boolean") || m.contains("`boolean`")) {
      return "expected a boolean" + found(m);
    }
    if (m.contains("from Array value") || m.contains("START_ARRAY")) {
      return "expected a single value, not a list";
    }
    if (m.contains("java.util.ArrayList") || m.contains("java.util.List")) {
      return "expected a list";
    }
    if (m.contains("from String value") || m.contains("from Object value") || m.contains("START_OBJECT")) {
      return "expected " + (m.contains("START_OBJECT") || m.contains("Object value") ? "a scalar value, not a mapping"
          : "a mapping");
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private static String found(String m) {
    int q = m.indexOf("String \"");
    if (q >= 0) {
      int end = m.indexOf('"', q + 8);
      if (end > q) {
        return ", got \"" + m.substring(q + 8, end) + "\"";
      }
    }
    return "";
  }

  /** Walks fabric8 objects for properties their type does not define (kept in additionalProperties). */
  static final class UnknownFields {
    private UnknownFields() {}

    static void collect(Object o, String path, List<String> out) {
      if (o == null || out.size() > 20) {
        return;
      }
      if (o instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          collect(l.get(i), path + "[" + i + "]", out);
        }
        return;
      }
      if (o instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          collect(e.getValue(), path + "[" + e.getKey() + "]", out);
        }
        return;
      }
      Class<?> c = o.getClass();
      if (!c.getName().startsWith("io.fabric8.kubernetes.api.model")) {
        return;
      }
      for (java.lang.reflect.Method m : c.getMethods()) {
        if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
          continue;
        }
        try {
          Object v = m.invoke(o);
          if (m.getName().equals("getAdditionalProperties")) {
            if (v instanceof Map<?, ?> extra) {
              for (Object k : extra.keySet()) {
                out.add(path.isEmpty() ? k.toString() : path + "." + k);
              }
            }
          } else if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            collect(v, path.isEmpty() ? field : path + "." + field, out);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          // a getter that cannot be called tells nothing about unknown fields
        }
      }
    }
  }
}
