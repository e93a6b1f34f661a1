package io.kubesim.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * go-spew's {@code %#v} printing of a {@code v1.PodTemplateSpec}, as hashutil.DeepHashObject feeds
 * it to the pod-template-hash (spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true,
 * SpewKeys: true}): every struct field in Go declaration order as {@code Name:(type)value}, pointers
 * as {@code (*T)value} or {@code (*T)<nil>}, nil slices and maps as {@code <nil>}, slice elements and
 * map entries without their type, map keys sorted, strings unquoted, and the unexported insides of
 * resource.Quantity, intstr.IntOrString and metav1.Time.
 *
 * <p>The object is read as decoded from protobuf, as kube-controller-manager reads it: empty lists
 * and maps are nil. The Go field lists below follow k8s.io/api v0.34 for the types a pod template
 * commonly uses (ObjectMeta, PodSpec, Container and what containers hold, security contexts,
 * tolerations, the common volume sources). Known differences from Kubernetes' hash: types outside
 * this table (affinity, topology spread constraints, projected and cloud volume sources, ...) are
 * printed with their fields in alphabetical order under an approximate type name; a non-zero
 * metav1.Time (never set in a template) and quantities that need arbitrary precision (inf.Dec) are
 * approximated. A template using them still hashes deterministically, but not to Kubernetes' value.
 */
final class GoSpew {

  private GoSpew() {}

  // ---------------------------------------------------------------- Go types

  /** A Go type: its name as reflect prints it, and how to print a value of it. */
  abstract static class T {
    final String name;

    T(String name) {
      this.name = name;
    }

    /** Prints {@code v} (null for a Go zero value / nil). */
    abstract void print(StringBuilder sb, JsonNode v, boolean showType);

    void type(StringBuilder sb, boolean showType) {
      if (showType) {
        sb.append('(').append(name).append(')');
      }
    }
  }

  static final class Str extends T {
    Str(String name) {
      super(name);
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      if (v != null && !v.isNull()) {
        sb.append(v.isTextual() ? v.asText() : v.toString());
      }
    }
  }

  static final class Int extends T {
    Int(String name) {
      super(name);
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      sb.append(v == null || v.isNull() ? 0 : v.asLong());
    }
  }

  static final class Bool extends T {
    Bool() {
      super("bool");
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      sb.append(v != null && v.asBoolean());
    }
  }

  static final class Ptr extends T {
    final T elem;

    Ptr(T elem) {
      super("*" + elem.name);
      this.elem = elem;
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      boolean nil = v == null || v.isNull();
      if (showType) {
        sb.append('(').append(name).append(')');
      } else if (nil) {
        sb.append("<nil>");
        return;
      } else {
        sb.append("<*>");
      }
      if (nil) {
        sb.append("<nil>");
        return;
      }
      elem.print(sb, v, false);
    }
  }

  static final class Slice extends T {
    final T elem;

    Slice(T elem) {
      super("[]" + elem.name);
      this.elem = elem;
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      if (v == null || v.isNull() || (v.isArray() && v.isEmpty())) {
        sb.append("<nil>");
        return;
      }
      sb.append('[');
      boolean first = true;
      for (JsonNode e : v) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        elem.print(sb, e, false);
      }
      sb.append(']');
    }
  }

  static final class MapT extends T {
    final T value;

    MapT(String name, T value) {
      super(name);
      this.value = value;
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      if (v == null || v.isNull() || v.isEmpty()) {
        sb.append("<nil>");
        return;
      }
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append("map[");
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':');
        value.print(sb, e.getValue(), false);
      }
      sb.append(']');
    }
  }

  /** A struct field: its Go name, its JSON name (null when embedded inline), its type. */
  record F(String go, String json, T type) {}

  static final class Struct extends T {
    final List<F> fields = new ArrayList<>();

    Struct(String name) {
      super(name);
    }

    Struct f(String go, String json, T type) {
      fields.add(new F(go, json, type));
      return this;
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      sb.append('{');
      for (int i = 0; i < fields.size(); i++) {
        F f = fields.get(i);
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(f.go()).append(':');
        JsonNode fv = v == null || v.isNull() ? null : f.json() == null ? v : v.get(f.json());
        f.type().print(sb, fv, true);
      }
      sb.append('}');
    }
  }

  /** A type outside the table: its JSON fields in alphabetical order, an approximation. */
  static final class Generic extends T {
    Generic(String name) {
      super(name);
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      printJson(sb, v);
    }

    private static void printJson(StringBuilder sb, JsonNode v) {
      if (v == null || v.isNull()) {
        sb.append("<nil>");
      } else if (v.isObject()) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          sorted.put(e.getKey(), e.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(e.getKey()).append(':');
          printJson(sb, e.getValue());
        }
        sb.append('}');
      } else if (v.isArray()) {
        sb.append('[');
        boolean first = true;
        for (JsonNode e : v) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          printJson(sb, e);
        }
        sb.append(']');
      } else {
        sb.append(v.isTextual() ? v.asText() : v.toString());
      }
    }
  }

  /** resource.Quantity: {i int64Amount, d infDecAmount, s string, Format}, as ParseQuantity leaves them. */
  static final class QuantityT extends T {
    QuantityT() {
      super("resource.Quantity");
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      Parsed q = v == null || v.isNull() ? new Parsed(0, 0, "", "DecimalSI") : parse(v.asText());
      sb.append("{i:(resource.int64Amount){value:(int64)").append(q.value).append(" scale:(resource.Scale)")
          .append(q.scale).append("} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)").append(q.s)
          .append(" Format:(resource.Format)").append(q.format).append('}');
    }
  }

  record Parsed(long value, int scale, String s, String format) {}

  /**
   * resource.ParseQuantity's fast path: an integer amount and a power-of-ten scale; the original
   * string is kept (s) only when it is already canonical.
   */
  static Parsed parse(String str) {
    String s = str.trim();
    boolean positive = true;
    int pos = 0;
    if (s.startsWith("-")) {
      positive = false;
      pos = 1;
    } else if (s.startsWith("+")) {
      pos = 1;
    }
    int i = pos;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    String num = s.substring(pos, i);
    String denom = "";
    if (i < s.length() && s.charAt(i) == '.') {
      int j = i + 1;
      while (j < s.length() && Character.isDigit(s.charAt(j))) {
        j++;
      }
      denom = s.substring(i + 1, j);
      i = j;
    }
    if (num.isEmpty()) {
      num = "0";
    }
    String suffix = s.substring(i);
    int base = 10;
    int exponent = 0;
    String format = "DecimalSI";
    switch (suffix) {
      case "" -> { }
      case "n" -> exponent = -9;
      case "u" -> exponent = -6;
      case "m" -> exponent = -3;
      case "k" -> exponent = 3;
      case "M" -> exponent = 6;
      case "G" -> exponent = 9;
      case "T" -> exponent = 12;
      case "P" -> exponent = 15;
      case "E" -> exponent = 18;
      case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
        base = 2;
        exponent = 10 * ("KMGTPE".indexOf(suffix.charAt(0)) + 1);
        format = "BinarySI";
      }
      default -> {
        format = "DecimalExponent";
        exponent = Integer.parseInt(suffix.substring(1));
      }
    }
    int precision;
    int scale = 0;
    long mantissa = 1;
    if (base == 10) {
      scale = exponent;
      precision = 18 - (num.length() + denom.length());
    } else if (exponent >= 0 && denom.isEmpty()) {
      mantissa = 1L << exponent;
      precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
    } else {
      precision = -1;
    }
    if (precision >= 0) {
      scale -= denom.length();
      if (scale >= -9) {
        String shifted = num + denom;
        long value = Long.parseLong(shifted);
        long result;
        try {
          result = Math.multiplyExact(value, mantissa);
        } catch (ArithmeticException e) {
          return new Parsed(0, 0, "", format);
        }
        if (!positive) {
          result = -result;
        }
        boolean canonical = base == 2 ? exponent % 10 == 0 && (value & 0x07) != 0
            : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
        return new Parsed(result, base == 2 ? 0 : scale, canonical ? str : "", format);
      }
    }
    return new Parsed(0, 0, "", format);
  }

  /** intstr.IntOrString: {Type Type, IntVal int32, StrVal string}. */
  static final class IntOrStringT extends T {
    IntOrStringT() {
      super("intstr.IntOrString");
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      boolean str = v != null && v.isTextual();
      sb.append("{Type:(intstr.Type)").append(str ? 1 : 0).append(" IntVal:(int32)")
          .append(str || v == null || v.isNull() ? 0 : v.asInt()).append(" StrVal:(string)")
          .append(str ? v.asText() : "").append('}');
    }
  }

  /** metav1.Time wrapping time.Time{wall, ext, loc}; only the zero time is exact. */
  static final class TimeT extends T {
    TimeT() {
      super("v1.Time");
    }

    @Override
    void print(StringBuilder sb, JsonNode v, boolean showType) {
      type(sb, showType);
      long ext = 0;
      if (v != null && !v.isNull()) {
        // Seconds since year 1, as an unmonotonic time.Time keeps them (loc differs in Go).
        ext = java.time.Instant.parse(v.asText()).getEpochSecond() + 62_135_596_800L;
      }
      sb.append("{Time:(time.Time){wall:(uint64)0 ext:(int64)").append(ext).append(" loc:(*time.Location)<nil>}}");
    }
  }

  // ---------------------------------------------------------------- k8s.io/api v0.34

  static final T STRING = new Str("string");
  static final T INT32 = new Int("int32");
  static final T INT64 = new Int("int64");
  static final T BOOL = new Bool();
  static final T QUANTITY = new QuantityT();
  static final T INT_OR_STRING = new IntOrStringT();
  static final T TIME = new TimeT();

  private static final Map<String, T> NAMED = new LinkedHashMap<>();

  private static T s(String goName) {
    return NAMED.computeIfAbsent(goName, Str::new);
  }

  private static T p(T t) {
    return new Ptr(t);
  }

  private static T sl(T t) {
    return new Slice(t);
  }

  private static T g(String name) {
    return new Generic(name);
  }

  static final T RESOURCE_LIST = new MapT("v1.ResourceList", QUANTITY);
  static final T STRING_MAP = new MapT("map[string]string", STRING);

  static final Struct LOCAL_OBJECT_REFERENCE = new Struct("v1.LocalObjectReference").f("Name", "name", STRING);

  static final Struct OWNER_REFERENCE = new Struct("v1.OwnerReference").f("APIVersion", "apiVersion", STRING)
      .f("Kind", "kind", STRING).f("Name", "name", STRING).f("UID", "uid", s("types.UID"))
      .f("Controller", "controller", p(BOOL)).f("BlockOwnerDeletion", "blockOwnerDeletion", p(BOOL));

  static final Struct OBJECT_META = new Struct("v1.ObjectMeta").f("Name", "name", STRING)
      .f("GenerateName", "generateName", STRING).f("Namespace", "namespace", STRING).f("SelfLink", "selfLink", STRING)
      .f("UID", "uid", s("types.UID")).f("ResourceVersion", "resourceVersion", STRING)
      .f("Generation", "generation", INT64).f("CreationTimestamp", "creationTimestamp", TIME)
      .f("DeletionTimestamp", "deletionTimestamp", p(TIME))
      .f("DeletionGracePeriodSeconds", "deletionGracePeriodSeconds", p(INT64)).f("Labels", "labels", STRING_MAP)
      .f("Annotations", "annotations", STRING_MAP).f("OwnerReferences", "ownerReferences", sl(OWNER_REFERENCE))
      .f("Finalizers", "finalizers", sl(STRING)).f("ManagedFields", "managedFields", sl(g("v1.ManagedFieldsEntry")));

  static final Struct KEY_TO_PATH = new Struct("v1.KeyToPath").f("Key", "key", STRING).f("Path", "path", STRING)
      .f("Mode", "mode", p(INT32));

  static final Struct OBJECT_FIELD_SELECTOR = new Struct("v1.ObjectFieldSelector")
      .f("APIVersion", "apiVersion", STRING).f("FieldPath", "fieldPath", STRING);

  static final Struct RESOURCE_FIELD_SELECTOR = new Struct("v1.ResourceFieldSelector")
      .f("ContainerName", "containerName", STRING).f("Resource", "resource", STRING)
      .f("Divisor", "divisor", QUANTITY);

  static final Struct CONFIG_MAP_KEY_SELECTOR = new Struct("v1.ConfigMapKeySelector")
      .f("LocalObjectReference", null, LOCAL_OBJECT_REFERENCE).f("Key", "key", STRING).f("Optional", "optional", p(BOOL));

  static final Struct SECRET_KEY_SELECTOR = new Struct("v1.SecretKeySelector")
      .f("LocalObjectReference", null, LOCAL_OBJECT_REFERENCE).f("Key", "key", STRING).f("Optional", "optional", p(BOOL));

  static final Struct ENV_VAR_SOURCE = new Struct("v1.EnvVarSource").f("FieldRef", "fieldRef", p(OBJECT_FIELD_SELECTOR))
      .f("ResourceFieldRef", "resourceFieldRef", p(RESOURCE_FIELD_SELECTOR))
      .f("ConfigMapKeyRef", "configMapKeyRef", p(CONFIG_MAP_KEY_SELECTOR))
      .f("SecretKeyRef", "secretKeyRef", p(SECRET_KEY_SELECTOR))
      .f("FileKeyRef", "fileKeyRef", p(g("v1.FileKeySelector")));

  static final Struct ENV_VAR = new Struct("v1.EnvVar").f("Name", "name", STRING).f("Value", "value", STRING)
      .f("ValueFrom", "valueFrom", p(ENV_VAR_SOURCE));

  static final Struct CONFIG_MAP_ENV_SOURCE = new Struct("v1.ConfigMapEnvSource")
      .f("LocalObjectReference", null, LOCAL_OBJECT_REFERENCE).f("Optional", "optional", p(BOOL));

  static final Struct SECRET_ENV_SOURCE = new Struct("v1.SecretEnvSource")
      .f("LocalObjectReference", null, LOCAL_OBJECT_REFERENCE).f("Optional", "optional", p(BOOL));

  static final Struct ENV_FROM_SOURCE = new Struct("v1.EnvFromSource").f("Prefix", "prefix", STRING)
      .f("ConfigMapRef", "configMapRef", p(CONFIG_MAP_ENV_SOURCE)).f("SecretRef", "secretRef", p(SECRET_ENV_SOURCE));

  static final Struct CONTAINER_PORT = new Struct("v1.ContainerPort").f("Name", "name", STRING)
      .f("HostPort", "hostPort", INT32).f("ContainerPort", "containerPort", INT32)
      .f("Protocol", "protocol", s("v1.Protocol")).f("HostIP", "hostIP", STRING);

  static final Struct RESOURCE_CLAIM = new Struct("v1.ResourceClaim").f("Name", "name", STRING)
      .f("Request", "request", STRING);

  static final Struct RESOURCE_REQUIREMENTS = new Struct("v1.ResourceRequirements")
      .f("Limits", "limits", RESOURCE_LIST).f("Requests", "requests", RESOURCE_LIST)
      .f("Claims", "claims", sl(RESOURCE_CLAIM));

  static final Struct CONTAINER_RESIZE_POLICY = new Struct("v1.ContainerResizePolicy")
      .f("ResourceName", "resourceName", s("v1.ResourceName"))
      .f("RestartPolicy", "restartPolicy", s("v1.ResourceResizeRestartPolicy"));

  static final Struct VOLUME_MOUNT = new Struct("v1.VolumeMount").f("Name", "name", STRING)
      .f("ReadOnly", "readOnly", BOOL).f("RecursiveReadOnly", "recursiveReadOnly", p(s("v1.RecursiveReadOnlyMode")))
      .f("MountPath", "mountPath", STRING).f("SubPath", "subPath", STRING)
      .f("MountPropagation", "mountPropagation", p(s("v1.MountPropagationMode")))
      .f("SubPathExpr", "subPathExpr", STRING);

  static final Struct VOLUME_DEVICE = new Struct("v1.VolumeDevice").f("Name", "name", STRING)
      .f("DevicePath", "devicePath", STRING);

  static final Struct EXEC_ACTION = new Struct("v1.ExecAction").f("Command", "command", sl(STRING));

  static final Struct HTTP_HEADER = new Struct("v1.HTTPHeader").f("Name", "name", STRING).f("Value", "value", STRING);

  static final Struct HTTP_GET_ACTION = new Struct("v1.HTTPGetAction").f("Path", "path", STRING)
      .f("Port", "port", INT_OR_STRING).f("Host", "host", STRING).f("Scheme", "scheme", s("v1.URIScheme"))
      .f("HTTPHeaders", "httpHeaders", sl(HTTP_HEADER));

  static final Struct TCP_SOCKET_ACTION = new Struct("v1.TCPSocketAction").f("Port", "port", INT_OR_STRING)
      .f("Host", "host", STRING);

  static final Struct GRPC_ACTION = new Struct("v1.GRPCAction").f("Port", "port", INT32)
      .f("Service", "service", p(STRING));

  static final Struct PROBE_HANDLER = new Struct("v1.ProbeHandler").f("Exec", "exec", p(EXEC_ACTION))
      .f("HTTPGet", "httpGet", p(HTTP_GET_ACTION)).f("TCPSocket", "tcpSocket", p(TCP_SOCKET_ACTION))
      .f("GRPC", "grpc", p(GRPC_ACTION));

  static final Struct PROBE = new Struct("v1.Probe").f("ProbeHandler", null, PROBE_HANDLER)
      .f("InitialDelaySeconds", "initialDelaySeconds", INT32).f("TimeoutSeconds", "timeoutSeconds", INT32)
      .f("PeriodSeconds", "periodSeconds", INT32).f("SuccessThreshold", "successThreshold", INT32)
      .f("FailureThreshold", "failureThreshold", INT32)
      .f("TerminationGracePeriodSeconds", "terminationGracePeriodSeconds", p(INT64));

  static final Struct SLEEP_ACTION = new Struct("v1.SleepAction").f("Seconds", "seconds", INT64);

  static final Struct LIFECYCLE_HANDLER = new Struct("v1.LifecycleHandler").f("Exec", "exec", p(EXEC_ACTION))
      .f("HTTPGet", "httpGet", p(HTTP_GET_ACTION)).f("TCPSocket", "tcpSocket", p(TCP_SOCKET_ACTION))
      .f("Sleep", "sleep", p(SLEEP_ACTION));

  static final Struct LIFECYCLE = new Struct("v1.Lifecycle").f("PostStart", "postStart", p(LIFECYCLE_HANDLER))
      .f("PreStop", "preStop", p(LIFECYCLE_HANDLER)).f("StopSignal", "stopSignal", p(s("v1.Signal")));

  static final Struct CAPABILITIES = new Struct("v1.Capabilities").f("Add", "add", sl(s("v1.Capability")))
      .f("Drop", "drop", sl(s("v1.Capability")));

  static final Struct SE_LINUX_OPTIONS = new Struct("v1.SELinuxOptions").f("User", "user", STRING)
      .f("Role", "role", STRING).f("Type", "type", STRING).f("Level", "level", STRING);

  static final Struct WINDOWS_OPTIONS = new Struct("v1.WindowsSecurityContextOptions")
      .f("GMSACredentialSpecName", "gmsaCredentialSpecName", p(STRING))
      .f("GMSACredentialSpec", "gmsaCredentialSpec", p(STRING)).f("RunAsUserName", "runAsUserName", p(STRING))
      .f("HostProcess", "hostProcess", p(BOOL));

  static final Struct SECCOMP_PROFILE = new Struct("v1.SeccompProfile").f("Type", "type", s("v1.SeccompProfileType"))
      .f("LocalhostProfile", "localhostProfile", p(STRING));

  static final Struct APP_ARMOR_PROFILE = new Struct("v1.AppArmorProfile")
      .f("Type", "type", s("v1.AppArmorProfileType")).f("LocalhostProfile", "localhostProfile", p(STRING));

  static final Struct SECURITY_CONTEXT = new Struct("v1.SecurityContext")
      .f("Capabilities", "capabilities", p(CAPABILITIES)).f("Privileged", "privileged", p(BOOL))
      .f("SELinuxOptions", "seLinuxOptions", p(SE_LINUX_OPTIONS)).f("WindowsOptions", "windowsOptions", p(WINDOWS_OPTIONS))
      .f("RunAsUser", "runAsUser", p(INT64)).f("RunAsGroup", "runAsGroup", p(INT64))
      .f("RunAsNonRoot", "runAsNonRoot", p(BOOL)).f("ReadOnlyRootFilesystem", "readOnlyRootFilesystem", p(BOOL))
      .f("AllowPrivilegeEscalation", "allowPrivilegeEscalation", p(BOOL))
      .f("ProcMount", "procMount", p(s("v1.ProcMountType"))).f("SeccompProfile", "seccompProfile", p(SECCOMP_PROFILE))
      .f("AppArmorProfile", "appArmorProfile", p(APP_ARMOR_PROFILE));

  static final Struct SYSCTL = new Struct("v1.Sysctl").f("Name", "name", STRING).f("Value", "value", STRING);

  static final Struct POD_SECURITY_CONTEXT = new Struct("v1.PodSecurityContext")
      .f("SELinuxOptions", "seLinuxOptions", p(SE_LINUX_OPTIONS)).f("WindowsOptions", "windowsOptions", p(WINDOWS_OPTIONS))
      .f("RunAsUser", "runAsUser", p(INT64)).f("RunAsGroup", "runAsGroup", p(INT64))
      .f("RunAsNonRoot", "runAsNonRoot", p(BOOL)).f("SupplementalGroups", "supplementalGroups", sl(INT64))
      .f("SupplementalGroupsPolicy", "supplementalGroupsPolicy", p(s("v1.SupplementalGroupsPolicy")))
      .f("FSGroup", "fsGroup", p(INT64)).f("Sysctls", "sysctls", sl(SYSCTL))
      .f("FSGroupChangePolicy", "fsGroupChangePolicy", p(s("v1.PodFSGroupChangePolicy")))
      .f("SeccompProfile", "seccompProfile", p(SECCOMP_PROFILE))
      .f("AppArmorProfile", "appArmorProfile", p(APP_ARMOR_PROFILE))
      .f("SELinuxChangePolicy", "seLinuxChangePolicy", p(s("v1.PodSELinuxChangePolicy")));

  static final Struct CONTAINER = new Struct("v1.Container").f("Name", "name", STRING).f("Image", "image", STRING)
      .f("Command", "command", sl(STRING)).f("Args", "args", sl(STRING)).f("WorkingDir", "workingDir", STRING)
      .f("Ports", "ports", sl(CONTAINER_PORT)).f("EnvFrom", "envFrom", sl(ENV_FROM_SOURCE))
      .f("Env", "env", sl(ENV_VAR)).f("Resources", "resources", RESOURCE_REQUIREMENTS)
      .f("ResizePolicy", "resizePolicy", sl(CONTAINER_RESIZE_POLICY))
      .f("RestartPolicy", "restartPolicy", p(s("v1.ContainerRestartPolicy")))
      .f("RestartPolicyRules", "restartPolicyRules", sl(g("v1.ContainerRestartRule")))
      .f("VolumeMounts", "volumeMounts", sl(VOLUME_MOUNT)).f("VolumeDevices", "volumeDevices", sl(VOLUME_DEVICE))
      .f("LivenessProbe", "livenessProbe", p(PROBE)).f("ReadinessProbe", "readinessProbe", p(PROBE))
      .f("StartupProbe", "startupProbe", p(PROBE)).f("Lifecycle", "lifecycle", p(LIFECYCLE))
      .f("TerminationMessagePath", "terminationMessagePath", STRING)
      .f("TerminationMessagePolicy", "terminationMessagePolicy", s("v1.TerminationMessagePolicy"))
      .f("ImagePullPolicy", "imagePullPolicy", s("v1.PullPolicy"))
      .f("SecurityContext", "securityContext", p(SECURITY_CONTEXT)).f("Stdin", "stdin", BOOL)
      .f("StdinOnce", "stdinOnce", BOOL).f("TTY", "tty", BOOL);

  static final Struct HOST_PATH = new Struct("v1.HostPathVolumeSource").f("Path", "path", STRING)
      .f("Type", "type", p(s("v1.HostPathType")));

  static final Struct EMPTY_DIR = new Struct("v1.EmptyDirVolumeSource").f("Medium", "medium", s("v1.StorageMedium"))
      .f("SizeLimit", "sizeLimit", p(QUANTITY));

  static final Struct SECRET_VOLUME = new Struct("v1.SecretVolumeSource").f("SecretName", "secretName", STRING)
      .f("Items", "items", sl(KEY_TO_PATH)).f("DefaultMode", "defaultMode", p(INT32))
      .f("Optional", "optional", p(BOOL));

  static final Struct CONFIG_MAP_VOLUME = new Struct("v1.ConfigMapVolumeSource")
      .f("LocalObjectReference", null, LOCAL_OBJECT_REFERENCE).f("Items", "items", sl(KEY_TO_PATH))
      .f("DefaultMode", "defaultMode", p(INT32)).f("Optional", "optional", p(BOOL));

  static final Struct PVC_VOLUME = new Struct("v1.PersistentVolumeClaimVolumeSource")
      .f("ClaimName", "claimName", STRING).f("ReadOnly", "readOnly", BOOL);

  static final Struct DOWNWARD_API_FILE = new Struct("v1.DownwardAPIVolumeFile").f("Path", "path", STRING)
      .f("FieldRef", "fieldRef", p(OBJECT_FIELD_SELECTOR)).f("ResourceFieldRef", "resourceFieldRef",
          p(RESOURCE_FIELD_SELECTOR)).f("Mode", "mode", p(INT32));

  static final Struct DOWNWARD_API_VOLUME = new Struct("v1.DownwardAPIVolumeSource")
      .f("Items", "items", sl(DOWNWARD_API_FILE)).f("DefaultMode", "defaultMode", p(INT32));

  static final Struct VOLUME_SOURCE = new Struct("v1.VolumeSource").f("HostPath", "hostPath", p(HOST_PATH))
      .f("EmptyDir", "emptyDir", p(EMPTY_DIR))
      .f("GCEPersistentDisk", "gcePersistentDisk", p(g("v1.GCEPersistentDiskVolumeSource")))
      .f("AWSElasticBlockStore", "awsElasticBlockStore", p(g("v1.AWSElasticBlockStoreVolumeSource")))
      .f("GitRepo", "gitRepo", p(g("v1.GitRepoVolumeSource"))).f("Secret", "secret", p(SECRET_VOLUME))
      .f("NFS", "nfs", p(g("v1.NFSVolumeSource"))).f("ISCSI", "iscsi", p(g("v1.ISCSIVolumeSource")))
      .f("Glusterfs", "glusterfs", p(g("v1.GlusterfsVolumeSource")))
      .f("PersistentVolumeClaim", "persistentVolumeClaim", p(PVC_VOLUME)).f("RBD", "rbd", p(g("v1.RBDVolumeSource")))
      .f("FlexVolume", "flexVolume", p(g("v1.FlexVolumeSource"))).f("Cinder", "cinder", p(g("v1.CinderVolumeSource")))
      .f("CephFS", "cephfs", p(g("v1.CephFSVolumeSource"))).f("Flocker", "flocker", p(g("v1.FlockerVolumeSource")))
      .f("DownwardAPI", "downwardAPI", p(DOWNWARD_API_VOLUME)).f("FC", "fc", p(g("v1.FCVolumeSource")))
      .f("AzureFile", "azureFile", p(g("v1.AzureFileVolumeSource"))).f("ConfigMap", "configMap", p(CONFIG_MAP_VOLUME))
      .f("VsphereVolume", "vsphereVolume", p(g("v1.VsphereVirtualDiskVolumeSource")))
      .f("Quobyte", "quobyte", p(g("v1.QuobyteVolumeSource"))).f("AzureDisk", "azureDisk", p(g("v1.AzureDiskVolumeSource")))
      .f("PhotonPersistentDisk", "photonPersistentDisk", p(g("v1.PhotonPersistentDiskVolumeSource")))
      .f("Projected", "projected", p(g("v1.ProjectedVolumeSource")))
      .f("PortworxVolume", "portworxVolume", p(g("v1.PortworxVolumeSource")))
      .f("ScaleIO", "scaleIO", p(g("v1.ScaleIOVolumeSource"))).f("StorageOS", "storageos", p(g("v1.StorageOSVolumeSource")))
      .f("CSI", "csi", p(g("v1.CSIVolumeSource"))).f("Ephemeral", "ephemeral", p(g("v1.EphemeralVolumeSource")))
      .f("Image", "image", p(g("v1.ImageVolumeSource")));

  static final Struct VOLUME = new Struct("v1.Volume").f("Name", "name", STRING).f("VolumeSource", null, VOLUME_SOURCE);

  static final Struct TOLERATION = new Struct("v1.Toleration").f("Key", "key", STRING)
      .f("Operator", "operator", s("v1.TolerationOperator")).f("Value", "value", STRING)
      .f("Effect", "effect", s("v1.TaintEffect")).f("TolerationSeconds", "tolerationSeconds", p(INT64));

  static final Struct HOST_ALIAS = new Struct("v1.HostAlias").f("IP", "ip", STRING)
      .f("Hostnames", "hostnames", sl(STRING));

  static final Struct POD_DNS_CONFIG_OPTION = new Struct("v1.PodDNSConfigOption").f("Name", "name", STRING)
      .f("Value", "value", p(STRING));

  static final Struct POD_DNS_CONFIG = new Struct("v1.PodDNSConfig").f("Nameservers", "nameservers", sl(STRING))
      .f("Searches", "searches", sl(STRING)).f("Options", "options", sl(POD_DNS_CONFIG_OPTION));

  static final Struct POD_READINESS_GATE = new Struct("v1.PodReadinessGate")
      .f("ConditionType", "conditionType", s("v1.PodConditionType"));

  static final Struct POD_OS = new Struct("v1.PodOS").f("Name", "name", s("v1.OSName"));

  static final Struct POD_SCHEDULING_GATE = new Struct("v1.PodSchedulingGate").f("Name", "name", STRING);

  static final Struct POD_SPEC = new Struct("v1.PodSpec").f("Volumes", "volumes", sl(VOLUME))
      .f("InitContainers", "initContainers", sl(CONTAINER)).f("Containers", "containers", sl(CONTAINER))
      .f("EphemeralContainers", "ephemeralContainers", sl(g("v1.EphemeralContainer")))
      .f("RestartPolicy", "restartPolicy", s("v1.RestartPolicy"))
      .f("TerminationGracePeriodSeconds", "terminationGracePeriodSeconds", p(INT64))
      .f("ActiveDeadlineSeconds", "activeDeadlineSeconds", p(INT64)).f("DNSPolicy", "dnsPolicy", s("v1.DNSPolicy"))
      .f("NodeSelector", "nodeSelector", STRING_MAP).f("ServiceAccountName", "serviceAccountName", STRING)
      .f("DeprecatedServiceAccount", "serviceAccount", STRING)
      .f("AutomountServiceAccountToken", "automountServiceAccountToken", p(BOOL)).f("NodeName", "nodeName", STRING)
      .f("HostNetwork", "hostNetwork", BOOL).f("HostPID", "hostPID", BOOL).f("HostIPC", "hostIPC", BOOL)
      .f("ShareProcessNamespace", "shareProcessNamespace", p(BOOL))
      .f("SecurityContext", "securityContext", p(POD_SECURITY_CONTEXT))
      .f("ImagePullSecrets", "imagePullSecrets", sl(LOCAL_OBJECT_REFERENCE)).f("Hostname", "hostname", STRING)
      .f("Subdomain", "subdomain", STRING).f("Affinity", "affinity", p(g("v1.Affinity")))
      .f("SchedulerName", "schedulerName", STRING).f("Tolerations", "tolerations", sl(TOLERATION))
      .f("HostAliases", "hostAliases", sl(HOST_ALIAS)).f("PriorityClassName", "priorityClassName", STRING)
      .f("Priority", "priority", p(INT32)).f("DNSConfig", "dnsConfig", p(POD_DNS_CONFIG))
      .f("ReadinessGates", "readinessGates", sl(POD_READINESS_GATE))
      .f("RuntimeClassName", "runtimeClassName", p(STRING)).f("EnableServiceLinks", "enableServiceLinks", p(BOOL))
      .f("PreemptionPolicy", "preemptionPolicy", p(s("v1.PreemptionPolicy"))).f("Overhead", "overhead", RESOURCE_LIST)
      .f("TopologySpreadConstraints", "topologySpreadConstraints", sl(g("v1.TopologySpreadConstraint")))
      .f("SetHostnameAsFQDN", "setHostnameAsFQDN", p(BOOL)).f("OS", "os", p(POD_OS))
      .f("HostUsers", "hostUsers", p(BOOL)).f("SchedulingGates", "schedulingGates", sl(POD_SCHEDULING_GATE))
      .f("ResourceClaims", "resourceClaims", sl(g("v1.PodResourceClaim")))
      .f("Resources", "resources", p(RESOURCE_REQUIREMENTS)).f("HostnameOverride", "hostnameOverride", p(STRING));

  static final Struct POD_TEMPLATE_SPEC = new Struct("v1.PodTemplateSpec").f("ObjectMeta", "metadata", OBJECT_META)
      .f("Spec", "spec", POD_SPEC);

  /** The %#v printing of a pod template, the input of the pod-template-hash. */
  static String podTemplateSpec(PodTemplateSpec t) {
    StringBuilder sb = new StringBuilder(4096);
    POD_TEMPLATE_SPEC.print(sb, Json.tree(t), true);
    return sb.toString();
  }
}
