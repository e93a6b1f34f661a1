package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's or a node's compute resources as the scheduler counts them (framework.Resource): CPU in
 * millicores, memory and ephemeral storage in bytes, extended resources by name. Mutable, for
 * summing; a NodeInfo keeps its sums in one.
 */
public final class Resource {

  /** The CPU a container without a CPU request is counted as for spreading (schedutil.DefaultMilliCPURequest). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  /** The memory likewise, 200 MiB (schedutil.DefaultMemoryRequest). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  public long milliCpu;
  public long memory;
  public long ephemeralStorage;
  /** Extended resources (e.g. nvidia.com/gpu, hugepages-2Mi); null when there are none. */
  public Map<String, Long> scalars;

  public Resource() {}

  public Resource copy() {
    Resource r = new Resource();
    r.milliCpu = milliCpu;
    r.memory = memory;
    r.ephemeralStorage = ephemeralStorage;
    r.scalars = scalars == null ? null : new LinkedHashMap<>(scalars);
    return r;
  }

  public long scalar(String name) {
    if (scalars == null) {
      return 0;
    }
    Long v = scalars.get(name);
    return v == null ? 0 : v;
  }

  /** Adds (sign 1) or subtracts (sign -1) another resource. */
  public void add(Resource o, int sign) {
    milliCpu += sign * o.milliCpu;
    memory += sign * o.memory;
    ephemeralStorage += sign * o.ephemeralStorage;
    if (o.scalars != null) {
      if (scalars == null) {
        scalars = new LinkedHashMap<>();
      }
      for (Map.Entry<String, Long> e : o.scalars.entrySet()) {
        scalars.merge(e.getKey(), sign * e.getValue(), Long::sum);
      }
    }
  }

  /** Adds a resource list (e.g. a container's requests) to this sum. */
  public void addList(Map<String, Quantity> list) {
    if (list == null) {
      return;
    }
    for (Map.Entry<String, Quantity> e : list.entrySet()) {
      String name = e.getKey();
      switch (name) {
        case "cpu" -> milliCpu += Quantities.milliValue(e.getValue());
        case "memory" -> memory += Quantities.value(e.getValue());
        case "ephemeral-storage" -> ephemeralStorage += Quantities.value(e.getValue());
        case "pods" -> { }
        default -> {
          if (isScalarResourceName(name)) {
            if (scalars == null) {
              scalars = new LinkedHashMap<>();
            }
            scalars.merge(name, Quantities.value(e.getValue()), Long::sum);
          }
        }
      }
    }
  }

  /** Takes the larger of each resource (Resource.SetMaxResource). */
  public void max(Resource o) {
    milliCpu = Math.max(milliCpu, o.milliCpu);
    memory = Math.max(memory, o.memory);
    ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
    if (o.scalars != null) {
      if (scalars == null) {
        scalars = new LinkedHashMap<>();
      }
      for (Map.Entry<String, Long> e : o.scalars.entrySet()) {
        scalars.merge(e.getKey(), e.getValue(), Math::max);
      }
    }
  }

  /**
   * Extended resources, hugepages and attachable volumes: everything the scheduler counts besides
   * cpu, memory, ephemeral-storage and pods (schedutil.IsScalarResourceName).
   */
  public static boolean isScalarResourceName(String name) {
    if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) {
      return true;
    }
    int slash = name.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String domain = name.substring(0, slash);
    // native resources live under kubernetes.io; requests.* are quota names, not resources
    return !domain.equals("kubernetes.io") && !domain.endsWith(".kubernetes.io") && !name.startsWith("requests.");
  }

  /**
   * A pod's requests as resourcehelper.PodRequests computes them: the sum over app containers and
   * restartable init containers (sidecars), raised to the largest need of any init container at its
   * turn, plus the pod overhead. With {@code nonMissingDefaults}, a container that requests no CPU
   * (or no memory) counts as requesting 100m (200 MiB): the non-zero requests used for scoring.
   * Pod-level requests, where set, replace the containers' sum for that resource.
   */
  public static Resource podRequests(PodSpec spec, boolean nonMissingDefaults) {
    Resource reqs = new Resource();
    if (spec == null) {
      return reqs;
    }
    Map<String, Quantity> podLevel = spec.getResources() == null ? null : spec.getResources().getRequests();
    boolean podLevelCpu = podLevel != null && podLevel.containsKey("cpu");
    boolean podLevelMem = podLevel != null && podLevel.containsKey("memory");
    boolean defaultCpu = nonMissingDefaults;
    boolean defaultMem = nonMissingDefaults;
    if (podLevelCpu || podLevelMem) {
      // framework.getNonMissingContainerRequests: with pod-level requests, a default applies only
      // to a resource that neither the pod nor any container requests.
      defaultCpu = nonMissingDefaults && !podLevelCpu && !anyRequests(spec, "cpu");
      defaultMem = nonMissingDefaults && !podLevelMem && !anyRequests(spec, "memory");
    }
    for (Container c : list(spec.getContainers())) {
      addContainer(reqs, c, defaultCpu, defaultMem);
    }
    Resource restartable = new Resource();
    Resource initMax = new Resource();
    for (Container c : list(spec.getInitContainers())) {
      Resource cr = new Resource();
      addContainer(cr, c, defaultCpu, defaultMem);
      if ("Always".equals(c.getRestartPolicy())) {
        // a sidecar runs alongside everything started after it
        reqs.add(cr, 1);
        restartable.add(cr, 1);
        cr = restartable.copy();
      } else {
        cr.add(restartable, 1);
      }
      initMax.max(cr);
    }
    reqs.max(initMax);
    if (podLevelCpu) {
      reqs.milliCpu = Quantities.milliValue(podLevel.get("cpu"));
    }
    if (podLevelMem) {
      reqs.memory = Quantities.value(podLevel.get("memory"));
    }
    if (spec.getOverhead() != null) {
      reqs.addList(spec.getOverhead());
    }
    return reqs;
  }

  private static boolean anyRequests(PodSpec spec, String resource) {
    for (List<Container> cs : List.of(list(spec.getContainers()), list(spec.getInitContainers()))) {
      for (Container c : cs) {
        if (c.getResources() != null && c.getResources().getRequests() != null
            && c.getResources().getRequests().containsKey(resource)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void addContainer(Resource sum, Container c, boolean defaultCpu, boolean defaultMem) {
    Map<String, Quantity> r = c.getResources() == null ? null : c.getResources().getRequests();
    sum.addList(r);
    if (defaultCpu && (r == null || !r.containsKey("cpu"))) {
      sum.milliCpu += DEFAULT_MILLI_CPU_REQUEST;
    }
    if (defaultMem && (r == null || !r.containsKey("memory"))) {
      sum.memory += DEFAULT_MEMORY_REQUEST;
    }
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  @Override
  public String toString() {
    return "cpu=" + milliCpu + "m memory=" + memory + (ephemeralStorage != 0 ? " ephemeral-storage=" + ephemeralStorage
        : "") + (scalars != null ? " " + scalars : "");
  }
}
