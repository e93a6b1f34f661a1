package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.plugins.Registry;
import io.kubesim.shared.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * kube-scheduler's configuration (KubeSchedulerConfiguration, kubescheduler.config.k8s.io/v1):
 * the profiles, each selected by a pod's spec.schedulerName, with their plugins resolved per
 * extension point (defaults merged with what the profile enables and disables, MultiPoint
 * expanded), score weights and plugin args; and the queue's timings.
 *
 * @param percentageOfNodesToScore 0 means adaptive: all nodes below 100, else max(5, 50 − N/125) %
 * @param podInitialBackoff first backoff of a pod that failed (podInitialBackoffSeconds, default 1 s)
 * @param podMaxBackoff backoff cap (podMaxBackoffSeconds, default 10 s)
 */
public record SchedulerConfiguration(int percentageOfNodesToScore, Duration podInitialBackoff, Duration podMaxBackoff,
    List<Profile> profiles) {

  public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
  public static final String KIND = "KubeSchedulerConfiguration";
  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

  /**
   * One profile, resolved.
   *
   * @param plugins plugin names per extension point, in running order
   * @param scoreWeights weight of each score plugin
   * @param pluginArgs parsed args per plugin name (plugins without args absent)
   */
  public record Profile(String schedulerName, Integer percentageOfNodesToScore,
      Map<ExtensionPoint, List<String>> plugins, Map<String, Integer> scoreWeights, Map<String, Object> pluginArgs) {

    public List<String> plugins(ExtensionPoint point) {
      return plugins.getOrDefault(point, List.of());
    }

    /** Every plugin of the profile once, in extension-point order. */
    public List<String> allPlugins() {
      Set<String> all = new LinkedHashSet<>();
      for (ExtensionPoint p : ExtensionPoint.values()) {
        all.addAll(plugins(p));
      }
      return new ArrayList<>(all);
    }
  }

  /** The defaults: one profile, default-scheduler, with the default plugins. */
  public static SchedulerConfiguration defaults() {
    return parse("apiVersion: " + API_VERSION + "\nkind: " + KIND + "\n");
  }

  public Profile profile(String schedulerName) {
    for (Profile p : profiles) {
      if (p.schedulerName().equals(schedulerName)) {
        return p;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- parsing

  private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "parallelism", "leaderElection",
      "clientConnection", "healthzBindAddress", "metricsBindAddress", "enableProfiling", "enableContentionProfiling",
      "percentageOfNodesToScore", "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles", "extenders",
      "delayCacheUntilActive");
  private static final Set<String> PROFILE_FIELDS = Set.of("schedulerName", "percentageOfNodesToScore", "plugins",
      "pluginConfig");

  /** A plugin set entry: name and (for score) weight. */
  private record Entry(String name, int weight) {}

  private record PluginSet(List<Entry> enabled, List<Entry> disabled) {
    static final PluginSet EMPTY = new PluginSet(List.of(), List.of());
  }

  /**
   * Parses a KubeSchedulerConfiguration document, applies the defaults and validates it.
   *
   * @throws ConfigException naming the offending field, e.g.
   *     {@code profiles[0].plugins.score.enabled[0].name: Invalid value: "Foo": plugin "Foo" does not exist}
   */
  public static SchedulerConfiguration parse(String yaml) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(yaml);
    } catch (RuntimeException e) {
      throw new ConfigException("cannot read the configuration: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException("the configuration is empty");
    }
    if (!root.isObject()) {
      throw new ConfigException("the configuration must be a KubeSchedulerConfiguration object");
    }
    String apiVersion = text(root, "apiVersion", "apiVersion");
    String kind = text(root, "kind", "kind");
    if (!API_VERSION.equals(apiVersion)) {
      throw new ConfigException("apiVersion: Unsupported value: \"" + apiVersion + "\": supported values: \""
          + API_VERSION + "\"");
    }
    if (!KIND.equals(kind)) {
      throw new ConfigException("kind: Unsupported value: \"" + kind + "\": supported values: \"" + KIND + "\"");
    }
    for (String f : root.propertyNames()) {
      if (!TOP_LEVEL.contains(f)) {
        throw new ConfigException(f + ": unknown field \"" + f + "\"");
      }
    }
    int pct = integer(root, "percentageOfNodesToScore", "percentageOfNodesToScore", 0);
    if (pct < 0 || pct > 100) {
      throw new ConfigException("percentageOfNodesToScore: Invalid value: " + pct + ": not in valid range [0-100]");
    }
    // pkg/scheduler/apis/config/v1/defaults.go: 1 s and 10 s
    int initial = integer(root, "podInitialBackoffSeconds", "podInitialBackoffSeconds", 1);
    int max = integer(root, "podMaxBackoffSeconds", "podMaxBackoffSeconds", 10);
    if (initial <= 0) {
      throw new ConfigException("podInitialBackoffSeconds: Invalid value: " + initial + ": must be greater than 0");
    }
    if (max < initial) {
      throw new ConfigException("podMaxBackoffSeconds: Invalid value: " + max
          + ": must be greater than or equal to PodInitialBackoffSeconds");
    }
    JsonNode profilesNode = root.get("profiles");
    List<Profile> profiles = new ArrayList<>();
    if (profilesNode == null || profilesNode.isNull() || (profilesNode.isArray() && profilesNode.size() == 0)) {
      profiles.add(profile(null, "profiles[0]"));
    } else {
      if (!profilesNode.isArray()) {
        throw new ConfigException("profiles: must be a list");
      }
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < profilesNode.size(); i++) {
        Profile p = profile(profilesNode.get(i), "profiles[" + i + "]");
        if (!names.add(p.schedulerName())) {
          throw new ConfigException("profiles[" + i + "].schedulerName: Duplicate value: \"" + p.schedulerName()
              + "\"");
        }
        profiles.add(p);
      }
      List<String> queueSort = profiles.get(0).plugins(ExtensionPoint.QUEUE_SORT);
      for (int i = 1; i < profiles.size(); i++) {
        if (!profiles.get(i).plugins(ExtensionPoint.QUEUE_SORT).equals(queueSort)) {
          throw new ConfigException("profiles[" + i + "].plugins.queueSort: Invalid value: "
              + profiles.get(i).plugins(ExtensionPoint.QUEUE_SORT) + ": queueSort must be the same for all profiles");
        }
      }
    }
    return new SchedulerConfiguration(pct, Duration.ofSeconds(initial), Duration.ofSeconds(max),
        List.copyOf(profiles));
  }

  private static Profile profile(JsonNode node, String path) {
    if (node != null && !node.isObject()) {
      throw new ConfigException(path + ": must be an object");
    }
    if (node != null) {
      for (String f : node.propertyNames()) {
        if (!PROFILE_FIELDS.contains(f)) {
          throw new ConfigException(path + "." + f + ": unknown field \"" + f + "\"");
        }
      }
    }
    // defaults.go: the first profile is named default-scheduler unless named
    String name = node == null ? DEFAULT_SCHEDULER_NAME : text(node, "schedulerName", path + ".schedulerName");
    if (name == null) {
      name = path.equals("profiles[0]") ? DEFAULT_SCHEDULER_NAME : null;
    }
    if (name == null || name.isEmpty()) {
      throw new ConfigException(path + ".schedulerName: Required value");
    }
    Integer pct = null;
    if (node != null && node.has("percentageOfNodesToScore") && !node.get("percentageOfNodesToScore").isNull()) {
      pct = integer(node, "percentageOfNodesToScore", path + ".percentageOfNodesToScore", 0);
      if (pct < 0 || pct > 100) {
        throw new ConfigException(path + ".percentageOfNodesToScore: Invalid value: " + pct
            + ": not in valid range [0-100]");
      }
    }
    JsonNode plugins = node == null ? null : node.get("plugins");
    Map<String, PluginSet> custom = new LinkedHashMap<>();
    if (plugins != null && !plugins.isNull()) {
      if (!plugins.isObject()) {
        throw new ConfigException(path + ".plugins: must be an object");
      }
      for (String f : plugins.propertyNames()) {
        boolean known = f.equals("multiPoint") || f.equals("postBind");
        for (ExtensionPoint e : ExtensionPoint.values()) {
          known |= e.field().equals(f);
        }
        if (!known) {
          throw new ConfigException(path + ".plugins." + f + ": unknown field \"" + f + "\"");
        }
        custom.put(f, pluginSet(plugins.get(f), path + ".plugins." + f));
      }
    }
    // mergePlugins: the defaults are MultiPoint only (default_plugins.go)
    List<Entry> defaultMulti = new ArrayList<>();
    for (Registry.DefaultPlugin d : Registry.DEFAULT_PLUGINS) {
      defaultMulti.add(new Entry(d.name(), d.weight()));
    }
    PluginSet multi = mergePluginSet(new PluginSet(defaultMulti, List.of()),
        custom.getOrDefault("multiPoint", PluginSet.EMPTY));
    Map<ExtensionPoint, List<String>> resolved = new EnumMap<>(ExtensionPoint.class);
    for (ExtensionPoint e : ExtensionPoint.values()) {
      PluginSet specific = custom.getOrDefault(e.field(), PluginSet.EMPTY);
      resolved.put(e, expand(e, multi, specific, path + ".plugins." + e.field()));
    }
    // score weights: a score-point weight wins over the MultiPoint one; zero means 1
    Map<String, Integer> weights = new LinkedHashMap<>();
    List<Entry> weighted = new ArrayList<>(custom.getOrDefault("score", PluginSet.EMPTY).enabled());
    weighted.addAll(multi.enabled());
    for (Entry en : weighted) {
      if (!resolved.get(ExtensionPoint.SCORE).contains(en.name()) || weights.containsKey(en.name())) {
        continue;
      }
      weights.put(en.name(), en.weight() == 0 ? 1 : en.weight());
    }
    for (String s : resolved.get(ExtensionPoint.SCORE)) {
      weights.putIfAbsent(s, 1);
    }
    Map<String, Object> args = pluginArgs(node == null ? null : node.get("pluginConfig"), path + ".pluginConfig");
    for (String p : new LinkedHashSet<>(flatten(resolved))) {
      if (!args.containsKey(p) && Registry.factory(p).defaultArgs() != null) {
        args.put(p, Registry.factory(p).defaultArgs());
      }
    }
    return new Profile(name, pct, Collections.unmodifiableMap(resolved), Collections.unmodifiableMap(weights),
        Collections.unmodifiableMap(args));
  }

  private static List<String> flatten(Map<ExtensionPoint, List<String>> m) {
    List<String> out = new ArrayList<>();
    m.values().forEach(out::addAll);
    return out;
  }

  private static PluginSet pluginSet(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return PluginSet.EMPTY;
    }
    if (!node.isObject()) {
      throw new ConfigException(path + ": must be an object");
    }
    for (String f : node.propertyNames()) {
      if (!f.equals("enabled") && !f.equals("disabled")) {
        throw new ConfigException(path + "." + f + ": unknown field \"" + f + "\"");
      }
    }
    return new PluginSet(entries(node.get("enabled"), path + ".enabled"),
        entries(node.get("disabled"), path + ".disabled"));
  }

  private static List<Entry> entries(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ConfigException(path + ": must be a list");
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode e = node.get(i);
      String p = path + "[" + i + "]";
      if (!e.isObject()) {
        throw new ConfigException(p + ": must be an object with a name");
      }
      for (String f : e.propertyNames()) {
        if (!f.equals("name") && !f.equals("weight")) {
          throw new ConfigException(p + "." + f + ": unknown field \"" + f + "\"");
        }
      }
      String name = text(e, "name", p + ".name");
      if (name == null || name.isEmpty()) {
        throw new ConfigException(p + ".name: Required value");
      }
      int weight = integer(e, "weight", p + ".weight", 0);
      if (weight < 0) {
        throw new ConfigException(p + ".weight: Invalid value: " + weight + ": must be a positive number");
      }
      if (!name.equals("*") && !Registry.has(name)) {
        throw new ConfigException(p + ".name: Invalid value: \"" + name + "\": plugin \"" + name + "\" does not exist");
      }
      out.add(new Entry(name, weight));
    }
    return out;
  }

  /** mergePluginSet (apis/config/v1/default_plugins.go). */
  private static PluginSet mergePluginSet(PluginSet defaults, PluginSet custom) {
    Set<String> disabled = new LinkedHashSet<>();
    List<Entry> disabledOut = new ArrayList<>();
    for (Entry d : custom.disabled()) {
      disabled.add(d.name());
      disabledOut.add(d);
    }
    for (Entry d : defaults.disabled()) {
      disabled.add(d.name());
      disabledOut.add(d);
    }
    Map<String, Integer> customIndex = new LinkedHashMap<>();
    for (int i = 0; i < custom.enabled().size(); i++) {
      customIndex.put(custom.enabled().get(i).name(), i);
    }
    Set<Integer> replaced = new LinkedHashSet<>();
    List<Entry> enabled = new ArrayList<>();
    if (!disabled.contains("*")) {
      for (Entry d : defaults.enabled()) {
        if (disabled.contains(d.name())) {
          continue;
        }
        Integer idx = customIndex.get(d.name());
        if (idx != null) {
          // re-configured default: keeps its place, takes the custom settings
          d = custom.enabled().get(idx);
          replaced.add(idx);
        }
        enabled.add(d);
      }
    }
    for (int i = 0; i < custom.enabled().size(); i++) {
      if (!replaced.contains(i)) {
        enabled.add(custom.enabled().get(i));
      }
    }
    return new PluginSet(enabled, disabledOut);
  }

  /** expandMultiPointPlugins for one extension point (framework/runtime/framework.go). */
  private static List<String> expand(ExtensionPoint point, PluginSet multi, PluginSet specific, String path) {
    LinkedHashSet<String> enabledSet = new LinkedHashSet<>();
    for (int i = 0; i < specific.enabled().size(); i++) {
      String n = specific.enabled().get(i).name();
      Class<?> type = Registry.type(n);
      if (type == null || !point.type().isAssignableFrom(type)) {
        throw new ConfigException(path + ".enabled[" + i + "].name: Invalid value: \"" + n + "\": plugin \"" + n
            + "\" does not extend " + point.typeName() + " plugin");
      }
      if (!enabledSet.add(n)) {
        throw new ConfigException(path + ".enabled[" + i + "].name: Duplicate value: \"" + n + "\"");
      }
    }
    Set<String> disabledSet = new LinkedHashSet<>();
    for (Entry d : specific.disabled()) {
      disabledSet.add(d.name());
    }
    if (disabledSet.contains("*")) {
      return List.copyOf(enabledSet);
    }
    LinkedHashSet<String> overrides = new LinkedHashSet<>();
    LinkedHashSet<String> multiEnabled = new LinkedHashSet<>();
    for (Entry e : multi.enabled()) {
      Class<?> type = Registry.type(e.name());
      if (type == null || !point.type().isAssignableFrom(type) || disabledSet.contains(e.name())) {
        continue;
      }
      if (enabledSet.contains(e.name())) {
        overrides.add(e.name());
        continue;
      }
      if (!multiEnabled.add(e.name())) {
        throw new ConfigException(path + ": Invalid value: \"" + e.name() + "\": plugin \"" + e.name()
            + "\" already registered as \"" + point.typeName() + "\"");
      }
    }
    LinkedHashSet<String> ordered = new LinkedHashSet<>(overrides);
    ordered.addAll(multiEnabled);
    ordered.addAll(enabledSet);
    if (point == ExtensionPoint.QUEUE_SORT && ordered.size() > 1) {
      throw new ConfigException(path + ": Invalid value: " + ordered + ": only one queue sort plugin can be enabled");
    }
    return List.copyOf(ordered);
  }

  private static Map<String, Object> pluginArgs(JsonNode node, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new ConfigException(path + ": must be a list");
    }
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode pc = node.get(i);
      if (!pc.isObject()) {
        throw new ConfigException(p + ": must be an object");
      }
      String name = text(pc, "name", p + ".name");
      if (name == null || name.isEmpty()) {
        throw new ConfigException(p + ".name: Required value");
      }
      if (!Registry.has(name)) {
        throw new ConfigException(p + ".name: Invalid value: \"" + name + "\": plugin \"" + name + "\" does not exist");
      }
      if (out.containsKey(name)) {
        throw new ConfigException(p + ": Duplicate value: \"" + name + "\"");
      }
      JsonNode args = pc.get("args");
      if (args != null && args.isObject() && args.has("apiVersion")) {
        args = stripTypeMeta(args);
      }
      try {
        Object parsed = Registry.factory(name).parseArgs().apply(args);
        if (parsed != null) {
          out.put(name, parsed);
        }
      } catch (PluginArgsException e) {
        throw new ConfigException(p + ".args." + e.field() + ": " + e.detail());
      }
    }
    return out;
  }

  /** Args may carry their own apiVersion and kind (e.g. kind: NodeResourcesFitArgs). */
  private static JsonNode stripTypeMeta(JsonNode args) {
    tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) args.deepCopy();
    copy.remove("apiVersion");
    copy.remove("kind");
    return copy;
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new ConfigException(path + ": must be a string");
    }
    return v.stringValue();
  }

  private static int integer(JsonNode node, String field, String path, int dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new ConfigException(path + ": must be an integer");
    }
    return v.intValue();
  }
}
