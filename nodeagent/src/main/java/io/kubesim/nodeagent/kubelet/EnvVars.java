package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
 * envFrom sources first, then env entries in order, each value expanded with the
 * {@code $(VAR)} syntax against the variables defined before it; and the expansion of command and
 * args (container/helpers.go ExpandContainerCommandAndArgs).
 */
public final class EnvVars {

  private EnvVars() {}

  /** Thrown when a referenced ConfigMap, Secret or key is missing: the container gets CreateContainerConfigError. */
  public static final class ConfigError extends Exception {
    public ConfigError(String message) {
      super(message);
    }
  }

  /** Where env values come from: the pod (after the sandbox has its IP), the node, and the referenced objects. */
  public record Sources(Pod pod, String podIp, String hostIp, Map<String, Quantity> nodeAllocatable,
      Function<String, ConfigMap> configMaps, Function<String, Secret> secrets) {}

  /**
   * Expands {@code $(VAR)} references (third_party/forked/golang/expansion): a defined variable is
   * replaced by its value, an undefined one stays as written, {@code $$} is an escaped {@code $}.
   */
  public static String expand(String input, Map<String, String> vars) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder();
    int checkpoint = 0;
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) == '$' && i + 1 < input.length()) {
        out.append(input, checkpoint, i);
        String rest = input.substring(i + 1);
        int advance;
        char c = rest.charAt(0);
        if (c == '$') {
          out.append('$');
          advance = 1;
        } else if (c == '(') {
          int close = rest.indexOf(')');
          if (close < 0) {
            out.append("$(");
            advance = 1;
          } else {
            String name = rest.substring(1, close);
            String value = vars.get(name);
            out.append(value != null ? value : "$(" + name + ")");
            advance = close + 1;
          }
        } else {
          out.append('$').append(c);
          advance = 1;
        }
        i += advance;
        checkpoint = i + 1;
      }
    }
    if (checkpoint < input.length()) {
      out.append(input, checkpoint, input.length());
    }
    return out.toString();
  }

  public static List<String> expandAll(List<String> items, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    if (items != null) {
      for (String s : items) {
        out.add(expand(s, vars));
      }
    }
    return out;
  }

  /** The container's environment in the order the kubelet hands it to the runtime. */
  public static Map<String, String> resolve(Container c, Sources src) throws ConfigError {
    Map<String, String> env = new LinkedHashMap<>();
    String ns = src.pod().getMetadata().getNamespace();
    if (c.getEnvFrom() != null) {
      for (EnvFromSource from : c.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          String name = from.getConfigMapRef().getName();
          ConfigMap cm = src.configMaps().apply(name);
          if (cm == null) {
            if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
              continue;
            }
            throw new ConfigError("configmap \"" + name + "\" not found");
          }
          if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> env.put(prefix + k, v));
          }
        } else if (from.getSecretRef() != null) {
          String name = from.getSecretRef().getName();
          Secret s = src.secrets().apply(name);
          if (s == null) {
            if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
              continue;
            }
            throw new ConfigError("secret \"" + name + "\" not found");
          }
          secretData(s).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        String value;
        if (e.getValueFrom() == null) {
          value = expand(e.getValue() == null ? "" : e.getValue(), env);
        } else {
          value = valueFrom(e.getValueFrom(), c, src, ns);
          if (value == null) {
            continue;
          }
        }
        env.put(e.getName(), value);
      }
    }
    return env;
  }

  private static String valueFrom(EnvVarSource vf, Container c, Sources src, String ns) throws ConfigError {
    if (vf.getFieldRef() != null) {
      return fieldRef(vf.getFieldRef(), src);
    }
    if (vf.getResourceFieldRef() != null) {
      return resourceFieldRef(vf.getResourceFieldRef(), c, src);
    }
    if (vf.getConfigMapKeyRef() != null) {
      var ref = vf.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      ConfigMap cm = src.configMaps().apply(ref.getName());
      if (cm == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
      }
      String v = cm.getData() == null ? null : cm.getData().get(ref.getKey());
      if (v == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return v;
    }
    if (vf.getSecretKeyRef() != null) {
      var ref = vf.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Secret s = src.secrets().apply(ref.getName());
      if (s == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("secret \"" + ref.getName() + "\" not found");
      }
      String v = secretData(s).get(ref.getKey());
      if (v == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return v;
    }
    return "";
  }

  /** A Secret's values, decoded (data is base64; stringData is folded into data by the apiserver, but accepted here too). */
  public static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> {
        try {
          out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          out.put(k, v);
        }
      });
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  /** pkg/fieldpath ExtractFieldPathAsString, plus the status fields the kubelet fills in (podIP, hostIP). */
  public static String fieldRef(ObjectFieldSelector ref, Sources src) {
    Pod pod = src.pod();
    String path = ref.getFieldPath();
    var meta = pod.getMetadata();
    if (path.startsWith("metadata.labels[") || path.startsWith("metadata.annotations[")) {
      boolean labels = path.startsWith("metadata.labels[");
      String key = path.substring(path.indexOf('[') + 1, path.length() - 1).replace("'", "").replace("\"", "");
      Map<String, String> m = labels ? meta.getLabels() : meta.getAnnotations();
      return m == null ? "" : m.getOrDefault(key, "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "metadata.labels" -> formatMap(meta.getLabels());
      case "metadata.annotations" -> formatMap(meta.getAnnotations());
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.hostIP", "status.hostIPs" -> src.hostIp();
      case "status.podIP", "status.podIPs" -> src.podIp() == null ? "" : src.podIp();
      default -> "";
    };
  }

  /** The downward API's map format: one {@code key="value"} per line, sorted by key. */
  public static String formatMap(Map<String, String> m) {
    if (m == null || m.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(m).forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    });
    return sb.toString();
  }

  /**
   * pkg/api/v1/resource ExtractContainerResourceValue: cpu rounded up to whole divisors (cores by
   * default), memory and storage in divisor units rounded up; a limit that is not set reads as the
   * node's allocatable.
   */
  public static String resourceFieldRef(ResourceFieldSelector ref, Container c, Sources src) {
    String resource = ref.getResource();
    String containerName = ref.getContainerName();
    Container target = c;
    if (containerName != null && !containerName.isEmpty() && !containerName.equals(c.getName())) {
      for (Container other : src.pod().getSpec().getContainers()) {
        if (other.getName().equals(containerName)) {
          target = other;
        }
      }
    }
    String[] parts = resource.split("\\.", 2);
    String kind = parts[0];
    String name = parts.length > 1 ? parts[1] : "";
    Map<String, Quantity> values = target.getResources() == null ? null
        : kind.equals("limits") ? target.getResources().getLimits() : target.getResources().getRequests();
    Quantity q = values == null ? null : values.get(name);
    if (q == null && kind.equals("limits")) {
      q = src.nodeAllocatable() == null ? null : src.nodeAllocatable().get(name);
    }
    BigDecimal amount = q == null ? BigDecimal.ZERO : q.getNumericalAmount();
    BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : ref.getDivisor().getNumericalAmount();
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    BigDecimal v = amount.divide(divisor, 0, RoundingMode.CEILING);
    if (name.equals("cpu") && q == null && kind.equals("requests")) {
      v = BigDecimal.ZERO;
    }
    return v.toPlainString();
  }
}
