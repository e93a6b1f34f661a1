package io.kubesim.controlplane.http.printers;

import static io.kubesim.controlplane.http.printers.Column.ageCol;
import static io.kubesim.controlplane.http.printers.Column.nameCol;
import static io.kubesim.controlplane.http.printers.Column.col;
import static io.kubesim.controlplane.http.printers.Column.wideCol;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Server-side printing for every kind kubesim serves, column for column as kube-apiserver 1.34
 * prints them (pkg/printers/internalversion/printers.go); kinds without a printer get Name and Age.
 */
public final class Printers {

  private record Simple(List<Column> columns, BiFunction<HasMetadata, Instant, List<Object>> cells)
      implements Printer {
    @Override
    public Row row(HasMetadata object, Instant now) {
      return new Row(cells.apply(object, now), List.of());
    }
  }

  private static final Map<ResourceType, Printer> PRINTERS = new HashMap<>();
  private static final Printer DEFAULT = new Simple(List.of(nameCol(), ageCol()),
      (o, now) -> List.of(o.getMetadata().getName(), since(o, now)));

  private static final String CONTAINERS_DOC = "Names of each container in the template.";
  private static final String IMAGES_DOC = "Images referenced by each container in the template.";

  private Printers() {}

  public static Printer of(ResourceType type) {
    return PRINTERS.getOrDefault(type, DEFAULT);
  }

  private static void add(ResourceType t, List<Column> columns, BiFunction<HasMetadata, Instant, List<Object>> cells) {
    PRINTERS.put(t, new Simple(columns, cells));
  }

  private static String since(HasMetadata o, Instant now) {
    return Human.since(o.getMetadata().getCreationTimestamp(), now);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  /** layoutContainerCells: names and images, comma-separated. */
  private static String[] containers(PodTemplateSpec t) {
    List<Container> cs = t == null || t.getSpec() == null ? List.of() : list(t.getSpec().getContainers());
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (Container c : cs) {
      names.add(c.getName() == null ? "" : c.getName());
      images.add(c.getImage() == null ? "" : c.getImage());
    }
    return new String[] {String.join(",", names), String.join(",", images)};
  }

  private static List<Object> cells(Object... c) {
    return new ArrayList<>(java.util.Arrays.asList(c));
  }

  static {
    PRINTERS.put(Resources.PODS, new PodPrinter());

    add(Resources.NODES, List.of(nameCol(), col("Status", "string", "The status of the node"),
        col("Roles", "string", "The roles of the node"), ageCol(),
        col("Version", "string", "Kubelet Version reported by the node."),
        wideCol("Internal-IP", "string", "List of addresses reachable to the node."),
        wideCol("External-IP", "string", "List of addresses reachable to the node."),
        wideCol("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
            + "(wheezy))."),
        wideCol("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. "
            + "3.16.0-0.bpo.4-amd64)."),
        wideCol("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote "
            + "API (e.g. containerd://1.4.2).")), (o, now) -> {
          Node n = (Node) o;
          List<String> status = new ArrayList<>();
          var st = n.getStatus();
          for (NodeCondition c : st == null ? List.<NodeCondition>of() : list(st.getConditions())) {
            if ("Ready".equals(c.getType())) {
              status.add("True".equals(c.getStatus()) ? "Ready" : "NotReady");
            }
          }
          if (status.isEmpty()) {
            status.add("Unknown");
          }
          if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
            status.add("SchedulingDisabled");
          }
          Set<String> roles = new TreeSet<>();
          Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
          for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().startsWith("node-role.kubernetes.io/")) {
              String role = e.getKey().substring("node-role.kubernetes.io/".length());
              if (!role.isEmpty()) {
                roles.add(role);
              }
            } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().isEmpty()) {
              roles.add(e.getValue());
            }
          }
          var info = st == null ? null : st.getNodeInfo();
          String internal = "<none>";
          String external = "<none>";
          for (NodeAddress a : st == null ? List.<NodeAddress>of() : list(st.getAddresses())) {
            if ("InternalIP".equals(a.getType()) && internal.equals("<none>")) {
              internal = a.getAddress();
            } else if ("ExternalIP".equals(a.getType()) && external.equals("<none>")) {
              external = a.getAddress();
            }
          }
          return cells(n.getMetadata().getName(), String.join(",", status),
              roles.isEmpty() ? "<none>" : String.join(",", roles), since(o, now),
              info == null || info.getKubeletVersion() == null ? "" : info.getKubeletVersion(), internal, external,
              unknown(info == null ? null : info.getOsImage()), unknown(info == null ? null : info.getKernelVersion()),
              unknown(info == null ? null : info.getContainerRuntimeVersion()));
        });

    add(Resources.NAMESPACES, List.of(nameCol(), col("Status", "string", "The status of the namespace"), ageCol()),
        (o, now) -> {
          Namespace ns = (Namespace) o;
          return cells(ns.getMetadata().getName(), ns.getStatus() == null || ns.getStatus().getPhase() == null ? ""
              : ns.getStatus().getPhase(), since(o, now));
        });

    add(Resources.EVENTS, List.of(col("Last Seen", "string", "The time at which the most recent occurrence of this "
            + "event was recorded."),
        col("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
        col("Reason", "string", "This should be a short, machine understandable string that gives the reason for "
            + "the transition into the object's current status."),
        col("Object", "string", "The object that this event is about."),
        wideCol("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string "
            + "should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
        wideCol("Source", "string", "The component reporting this event. Should be a short machine understandable "
            + "string."),
        col("Message", "string", "A human-readable description of the status of this operation."),
        wideCol("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is "
            + "in TypeMeta.)"),
        wideCol("Count", "string", "The number of times this event has occurred."),
        new Column("Name", "string", "name", Column.NAME_DOC, 1)), (o, now) -> {
          Event e = (Event) o;
          String first = e.getFirstTimestamp() != null ? Human.since(e.getFirstTimestamp(), now)
              : Human.since(e.getEventTime() == null ? null : e.getEventTime().getTime(), now);
          String last = e.getLastTimestamp() != null ? Human.since(e.getLastTimestamp(), now) : first;
          long count = e.getCount() == null ? 0 : e.getCount();
          if (e.getSeries() != null) {
            last = Human.since(e.getSeries().getLastObservedTime() == null ? null
                : e.getSeries().getLastObservedTime().getTime(), now);
            count = e.getSeries().getCount() == null ? 0 : e.getSeries().getCount();
          } else if (count == 0) {
            count = 1;
          }
          var io = e.getInvolvedObject();
          String kind = io == null || io.getKind() == null ? "" : io.getKind().toLowerCase();
          String target = io != null && io.getName() != null && !io.getName().isEmpty() ? kind + "/" + io.getName()
              : kind;
          String component = e.getSource() != null && e.getSource().getComponent() != null
              && !e.getSource().getComponent().isEmpty() ? e.getSource().getComponent()
              : nz(e.getReportingComponent());
          String host = e.getSource() != null && e.getSource().getHost() != null && !e.getSource().getHost().isEmpty()
              ? e.getSource().getHost() : nz(e.getReportingInstance());
          return cells(last, nz(e.getType()), nz(e.getReason()), target, io == null ? "" : nz(io.getFieldPath()),
              host.isEmpty() ? component : component + ", " + host, nz(e.getMessage()).trim(), first, count,
              e.getMetadata().getName());
        });

    add(Resources.SERVICES, List.of(nameCol(), col("Type", "string", "type determines how the Service is exposed."),
        col("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
        col("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also "
            + "accept traffic for this service."),
        col("Port(s)", "string", "The list of ports that are exposed by this service."), ageCol(),
        wideCol("Selector", "string", "Route service traffic to pods with label keys and values matching this "
            + "selector.")), (o, now) -> {
          Service s = (Service) o;
          var spec = s.getSpec() == null ? new io.fabric8.kubernetes.api.model.ServiceSpec() : s.getSpec();
          String clusterIp = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
              ? spec.getClusterIPs().get(0) : "<none>";
          List<String> ports = new ArrayList<>();
          for (ServicePort p : list(spec.getPorts())) {
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            ports.add(p.getNodePort() != null && p.getNodePort() > 0 ? p.getPort() + ":" + p.getNodePort() + "/" + proto
                : p.getPort() + "/" + proto);
          }
          return cells(s.getMetadata().getName(), nz(spec.getType()), clusterIp, externalIp(s),
              ports.isEmpty() ? "<none>" : String.join(",", ports), since(o, now), Human.labels(spec.getSelector()));
        });

    add(Resources.ENDPOINTS, List.of(nameCol(), col("Endpoints", "string", "The set of all endpoints is the union of "
        + "all subsets."), ageCol()), (o, now) -> cells(o.getMetadata().getName(), endpoints((Endpoints) o),
            since(o, now)));

    add(Resources.CONFIGMAPS, List.of(nameCol(), col("Data", "string", "Data contains the configuration data."), ageCol()),
        (o, now) -> {
          ConfigMap c = (ConfigMap) o;
          return cells(c.getMetadata().getName(), (long) (c.getData() == null ? 0 : c.getData().size())
              + (c.getBinaryData() == null ? 0 : c.getBinaryData().size()), since(o, now));
        });

    add(Resources.SECRETS, List.of(nameCol(), col("Type", "string", "Used to facilitate programmatic handling of secret "
        + "data."), col("Data", "string", "Data contains the secret data."), ageCol()), (o, now) -> {
          Secret s = (Secret) o;
          return cells(s.getMetadata().getName(), nz(s.getType()), (long) (s.getData() == null ? 0
              : s.getData().size()), since(o, now));
        });

    add(Resources.SERVICEACCOUNTS, List.of(nameCol(), col("Secrets", "string", "Secrets is a list of the secrets in the "
        + "same namespace that pods running using this ServiceAccount are allowed to use."), ageCol()), (o, now) -> {
          ServiceAccount sa = (ServiceAccount) o;
          return cells(sa.getMetadata().getName(), (long) list(sa.getSecrets()).size(), since(o, now));
        });

    add(Resources.PERSISTENTVOLUMES, List.of(nameCol(), col("Capacity", "string", "capacity is the description of the "
            + "persistent volume's resources and capacity."),
        col("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
        col("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume "
            + "when released from its claim."),
        col("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a "
            + "claim."),
        col("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and "
            + "PersistentVolumeClaim."),
        col("StorageClass", "string", "StorageClass of the pv"),
        col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
        col("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for "
            + "machine parsing and tidy display in the CLI."), ageCol(),
        wideCol("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted "
            + "filesystem or to remain in raw block state.")), (o, now) -> {
          PersistentVolume pv = (PersistentVolume) o;
          var spec = pv.getSpec() == null ? new io.fabric8.kubernetes.api.model.PersistentVolumeSpec() : pv.getSpec();
          String claim = spec.getClaimRef() == null ? "" : nz(spec.getClaimRef().getNamespace()) + "/"
              + nz(spec.getClaimRef().getName());
          Quantity size = spec.getCapacity() == null ? null : spec.getCapacity().get("storage");
          String phase = pv.getStatus() == null ? "" : nz(pv.getStatus().getPhase());
          if (pv.getMetadata().getDeletionTimestamp() != null) {
            phase = "Terminating";
          }
          String sc = spec.getStorageClassName() != null ? spec.getStorageClassName()
              : annotation(pv, "volume.beta.kubernetes.io/storage-class");
          return cells(pv.getMetadata().getName(), quantity(size), accessModes(spec.getAccessModes()),
              nz(spec.getPersistentVolumeReclaimPolicy()), phase, claim, sc,
              spec.getVolumeAttributesClassName() == null ? "<unset>" : spec.getVolumeAttributesClassName(),
              pv.getStatus() == null ? "" : nz(pv.getStatus().getReason()), since(o, now),
              spec.getVolumeMode() == null ? "<unset>" : spec.getVolumeMode());
        });

    add(Resources.PERSISTENTVOLUMECLAIMS, List.of(nameCol(), col("Status", "string", "phase represents the current "
            + "phase of PersistentVolumeClaim."),
        col("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        col("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
        col("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has."),
        col("StorageClass", "string", "StorageClass of the pvc"),
        col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"), ageCol(),
        wideCol("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.")),
        (o, now) -> {
          PersistentVolumeClaim pvc = (PersistentVolumeClaim) o;
          var spec = pvc.getSpec() == null ? new io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec()
              : pvc.getSpec();
          String phase = pvc.getStatus() == null ? "" : nz(pvc.getStatus().getPhase());
          if (pvc.getMetadata().getDeletionTimestamp() != null) {
            phase = "Terminating";
          }
          String capacity = "";
          String modes = "";
          if (spec.getVolumeName() != null && !spec.getVolumeName().isEmpty()) {
            // a bound claim shows its status (a zero quantity, "0", if the status is not written yet)
            var st = pvc.getStatus();
            modes = accessModes(st == null ? null : st.getAccessModes());
            capacity = quantity(st == null || st.getCapacity() == null ? null : st.getCapacity().get("storage"));
          }
          String sc = spec.getStorageClassName() != null ? spec.getStorageClassName()
              : annotation(pvc, "volume.beta.kubernetes.io/storage-class");
          return cells(pvc.getMetadata().getName(), phase, nz(spec.getVolumeName()), capacity, modes, sc,
              spec.getVolumeAttributesClassName() == null ? "<unset>" : spec.getVolumeAttributesClassName(),
              since(o, now), spec.getVolumeMode() == null ? "<unset>" : spec.getVolumeMode());
        });

    add(Resources.RESOURCEQUOTAS, List.of(nameCol(), ageCol(),
        col("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
        col("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use "
            + "independent of contention on the node.")), (o, now) -> {
          ResourceQuota q = (ResourceQuota) o;
          Map<String, Quantity> hard = q.getStatus() == null || q.getStatus().getHard() == null ? Map.of()
              : q.getStatus().getHard();
          Map<String, Quantity> used = q.getStatus() == null || q.getStatus().getUsed() == null ? Map.of()
              : q.getStatus().getUsed();
          StringBuilder req = new StringBuilder();
          StringBuilder lim = new StringBuilder();
          for (String r : new TreeSet<>(hard.keySet())) {
            StringBuilder w = r.startsWith("limits.") ? lim : req;
            w.append(r).append(": ").append(quantity(used.get(r))).append('/').append(quantity(hard.get(r)))
                .append(", ");
          }
          return cells(q.getMetadata().getName(), since(o, now), trimComma(req), trimComma(lim));
        });

    add(Resources.LIMITRANGES, List.of(nameCol(), new Column("Created At", "date", "", Column.AGE_DOC, 0)),
        (o, now) -> {
          LimitRange l = (LimitRange) o;
          Instant t = Times.parse(l.getMetadata().getCreationTimestamp());
          return cells(l.getMetadata().getName(), t == null ? "" : Times.rfc3339(t));
        });

    add(Resources.DEPLOYMENTS, List.of(nameCol(), col("Ready", "string", "Number of the pod with ready state"),
        col("Up-to-date", "string", "Total number of non-terminating pods targeted by this deployment that have the "
            + "desired template spec."),
        col("Available", "string", "Total number of available non-terminating pods (ready for at least "
            + "minReadySeconds) targeted by this deployment."), ageCol(),
        wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC),
        wideCol("Selector", "string", "Label selector for pods.")), (o, now) -> {
          Deployment d = (Deployment) o;
          var st = d.getStatus();
          String[] c = containers(d.getSpec() == null ? null : d.getSpec().getTemplate());
          return cells(d.getMetadata().getName(), (st == null ? 0 : Human.n(st.getReadyReplicas())) + "/"
                  + (d.getSpec() == null ? 0 : Human.n(d.getSpec().getReplicas())),
              st == null ? 0L : Human.n(st.getUpdatedReplicas()), st == null ? 0L : Human.n(st.getAvailableReplicas()),
              since(o, now), c[0], c[1], d.getSpec() == null ? "" : selectorOrEmpty(d.getSpec().getSelector()));
        });

    add(Resources.REPLICASETS, List.of(nameCol(), col("Desired", "integer", "Replicas is the number of desired pods."),
        col("Current", "integer", "Replicas is the most recently observed number of non-terminating pods."),
        col("Ready", "integer", "The number of non-terminating pods targeted by this ReplicaSet with a Ready "
            + "Condition."), ageCol(), wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC),
        wideCol("Selector", "string", "Selector is a label query over pods that should match the replica count.")),
        (o, now) -> {
          ReplicaSet r = (ReplicaSet) o;
          var st = r.getStatus();
          String[] c = containers(r.getSpec() == null ? null : r.getSpec().getTemplate());
          return cells(r.getMetadata().getName(), r.getSpec() == null ? 0L : Human.n(r.getSpec().getReplicas()),
              st == null ? 0L : Human.n(st.getReplicas()), st == null ? 0L : Human.n(st.getReadyReplicas()),
              since(o, now), c[0], c[1], Human.selector(r.getSpec() == null ? null : r.getSpec().getSelector()));
        });

    add(Resources.DAEMONSETS, List.of(nameCol(), col("Desired", "integer", "The total number of nodes that should be "
            + "running the daemon pod (including nodes correctly running the daemon pod)."),
        col("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to "
            + "run the daemon pod."),
        col("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have "
            + "one or more of the daemon pod running with a Ready Condition."),
        col("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
        col("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more "
            + "of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        col("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        ageCol(), wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC),
        wideCol("Selector", "string", "A label query over pods that are managed by the daemon set.")), (o, now) -> {
          DaemonSet d = (DaemonSet) o;
          var st = d.getStatus();
          var tpl = d.getSpec() == null ? null : d.getSpec().getTemplate();
          String[] c = containers(tpl);
          return cells(d.getMetadata().getName(), st == null ? 0L : Human.n(st.getDesiredNumberScheduled()),
              st == null ? 0L : Human.n(st.getCurrentNumberScheduled()), st == null ? 0L : Human.n(st.getNumberReady()),
              st == null ? 0L : Human.n(st.getUpdatedNumberScheduled()),
              st == null ? 0L : Human.n(st.getNumberAvailable()),
              Human.labels(tpl == null || tpl.getSpec() == null ? null : tpl.getSpec().getNodeSelector()),
              since(o, now), c[0], c[1], Human.selector(d.getSpec() == null ? null : d.getSpec().getSelector()));
        });

    add(Resources.STATEFULSETS, List.of(nameCol(), col("Ready", "string", "Number of the pod with ready state"), ageCol(),
        wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC)), (o, now) -> {
          StatefulSet s = (StatefulSet) o;
          String[] c = containers(s.getSpec() == null ? null : s.getSpec().getTemplate());
          return cells(s.getMetadata().getName(), (s.getStatus() == null ? 0 : Human.n(s.getStatus().getReadyReplicas()))
              + "/" + (s.getSpec() == null ? 0 : Human.n(s.getSpec().getReplicas())), since(o, now), c[0], c[1]);
        });

    add(Resources.CONTROLLERREVISIONS, List.of(nameCol(), col("Controller", "string", "Controller of the object"),
        col("Revision", "string", "Revision indicates the revision of the state represented by Data."), ageCol()),
        (o, now) -> {
          ControllerRevision r = (ControllerRevision) o;
          String controller = "<none>";
          for (OwnerReference ref : list(r.getMetadata().getOwnerReferences())) {
            if (Boolean.TRUE.equals(ref.getController())) {
              String av = nz(ref.getApiVersion());
              String group = av.contains("/") ? av.substring(0, av.indexOf('/')) : "";
              controller = (ref.getKind() + (group.isEmpty() ? "" : "." + group)).toLowerCase() + "/" + ref.getName();
            }
          }
          return cells(r.getMetadata().getName(), controller, r.getRevision() == null ? 0L : r.getRevision(),
              since(o, now));
        });

    add(Resources.JOBS, List.of(nameCol(), col("Status", "string", "Status of the job."),
        col("Completions", "string", "The number of pods which reached phase Succeeded."),
        col("Duration", "string", "Time required to complete the job."), ageCol(),
        wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC),
        wideCol("Selector", "string", "A label query over pods that should match the pod count.")), (o, now) -> {
          Job j = (Job) o;
          var spec = j.getSpec();
          var st = j.getStatus() == null ? new io.fabric8.kubernetes.api.model.batch.v1.JobStatus() : j.getStatus();
          long succeeded = Human.n(st.getSucceeded());
          String completions;
          if (spec != null && spec.getCompletions() != null) {
            completions = succeeded + "/" + spec.getCompletions();
          } else {
            int parallelism = spec == null || spec.getParallelism() == null ? 0 : spec.getParallelism();
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
          }
          String duration = "";
          Instant start = Times.parse(st.getStartTime());
          Instant end = Times.parse(st.getCompletionTime());
          if (start != null) {
            duration = Human.duration(Duration.between(start, end == null ? now : end));
          }
          String status;
          if (jobCondition(st.getConditions(), "Complete")) {
            status = "Complete";
          } else if (jobCondition(st.getConditions(), "Failed")) {
            status = "Failed";
          } else if (j.getMetadata().getDeletionTimestamp() != null) {
            status = "Terminating";
          } else if (jobCondition(st.getConditions(), "Suspended")) {
            status = "Suspended";
          } else if (jobCondition(st.getConditions(), "FailureTarget")) {
            status = "FailureTarget";
          } else if (jobCondition(st.getConditions(), "SuccessCriteriaMet")) {
            status = "SuccessCriteriaMet";
          } else {
            status = "Running";
          }
          String[] c = containers(spec == null ? null : spec.getTemplate());
          return cells(j.getMetadata().getName(), status, completions, duration, since(o, now), c[0], c[1],
              Human.selector(spec == null ? null : spec.getSelector()));
        });

    add(Resources.CRONJOBS, List.of(nameCol(), col("Schedule", "string", "The schedule in Cron format, see "
            + "https://en.wikipedia.org/wiki/Cron."),
        col("Timezone", "string", "The time zone name for the given schedule, see "
            + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
        col("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not "
            + "apply to already started executions.  Defaults to false."),
        col("Active", "integer", "A list of pointers to currently running jobs."),
        col("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
        ageCol(), wideCol("Containers", "string", CONTAINERS_DOC), wideCol("Images", "string", IMAGES_DOC),
        wideCol("Selector", "string", "A label query over pods that should match the pod count.")), (o, now) -> {
          CronJob cj = (CronJob) o;
          var spec = cj.getSpec() == null ? new io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec() : cj.getSpec();
          var jt = spec.getJobTemplate() == null ? null : spec.getJobTemplate().getSpec();
          String last = cj.getStatus() == null || cj.getStatus().getLastScheduleTime() == null ? "<none>"
              : Human.since(cj.getStatus().getLastScheduleTime(), now);
          String[] c = containers(jt == null ? null : jt.getTemplate());
          return cells(cj.getMetadata().getName(), nz(spec.getSchedule()),
              spec.getTimeZone() == null ? "<none>" : spec.getTimeZone(),
              spec.getSuspend() == null ? "<unset>" : spec.getSuspend() ? "True" : "False",
              (long) (cj.getStatus() == null ? 0 : list(cj.getStatus().getActive()).size()), last, since(o, now),
              c[0], c[1], Human.selector(jt == null ? null : jt.getSelector()));
        });

    add(Resources.LEASES, List.of(nameCol(), col("Holder", "string", "holderIdentity contains the identity of the "
        + "holder of a current lease."), ageCol()), (o, now) -> {
          Lease l = (Lease) o;
          return cells(l.getMetadata().getName(), l.getSpec() == null ? "" : nz(l.getSpec().getHolderIdentity()),
              since(o, now));
        });

    add(Resources.PODDISRUPTIONBUDGETS, List.of(nameCol(),
        col("Min Available", "string", "The minimum number of pods that must be available."),
        col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
        col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
        ageCol()), (o, now) -> {
          PodDisruptionBudget p = (PodDisruptionBudget) o;
          var spec = p.getSpec();
          return cells(p.getMetadata().getName(),
              spec == null || spec.getMinAvailable() == null ? "N/A" : intOrString(spec.getMinAvailable()),
              spec == null || spec.getMaxUnavailable() == null ? "N/A" : intOrString(spec.getMaxUnavailable()),
              p.getStatus() == null ? 0L : Human.n(p.getStatus().getDisruptionsAllowed()), since(o, now));
        });

    add(Resources.INGRESSES, List.of(nameCol(), col("Class", "string", "The name of the IngressClass resource that "
            + "should be used for additional configuration"),
        col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
        col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
        col("Ports", "string", "Ports of TLS configurations that open"), ageCol()), (o, now) -> {
          Ingress i = (Ingress) o;
          var spec = i.getSpec() == null ? new io.fabric8.kubernetes.api.model.networking.v1.IngressSpec()
              : i.getSpec();
          List<String> hosts = new ArrayList<>();
          List<IngressRule> rules = list(spec.getRules());
          boolean more = false;
          for (IngressRule r : rules) {
            if (hosts.size() == 3) {
              more = true;
            }
            if (!more && r.getHost() != null && !r.getHost().isEmpty()) {
              hosts.add(r.getHost());
            }
          }
          String hostText = hosts.isEmpty() ? "*" : String.join(",", hosts)
              + (more ? " + " + (rules.size() - 3) + " more..." : "");
          Set<String> addresses = new LinkedHashSet<>();
          if (i.getStatus() != null && i.getStatus().getLoadBalancer() != null) {
            for (IngressLoadBalancerIngress lb : list(i.getStatus().getLoadBalancer().getIngress())) {
              if (lb.getIp() != null && !lb.getIp().isEmpty()) {
                addresses.add(lb.getIp());
              } else if (lb.getHostname() != null && !lb.getHostname().isEmpty()) {
                addresses.add(lb.getHostname());
              }
            }
          }
          return cells(i.getMetadata().getName(), spec.getIngressClassName() == null ? "<none>"
                  : spec.getIngressClassName(), hostText, String.join(",", addresses),
              list(spec.getTls()).isEmpty() ? "80" : "80, 443", since(o, now));
        });

    add(Resources.INGRESSCLASSES, List.of(nameCol(), col("Controller", "string", "Controller that is responsible for "
            + "handling this class"),
        col("Parameters", "string", "A reference to a resource with additional parameters"), ageCol()), (o, now) -> {
          IngressClass c = (IngressClass) o;
          var spec = c.getSpec();
          String params = "<none>";
          if (spec != null && spec.getParameters() != null) {
            var p = spec.getParameters();
            params = p.getKind() + (p.getApiGroup() != null ? "." + p.getApiGroup() : "") + "/" + p.getName();
          }
          return cells(c.getMetadata().getName(), spec == null ? "" : nz(spec.getController()), params, since(o, now));
        });

    add(Resources.ENDPOINTSLICES, List.of(nameCol(), col("AddressType", "string", "addressType specifies the type of "
            + "address carried by this EndpointSlice."),
        col("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        col("Endpoints", "string", "endpoints is a list of unique endpoints in this slice."), ageCol()), (o, now) -> {
          EndpointSlice s = (EndpointSlice) o;
          List<String> ports = new ArrayList<>();
          int portCount = 0;
          for (var p : list(s.getPorts())) {
            if (ports.size() < 3) {
              ports.add(p.getPort() != null ? p.getPort().toString() : p.getName() != null ? p.getName() : "*");
            }
            portCount++;
          }
          List<String> addrs = new ArrayList<>();
          int addrCount = 0;
          for (var e : list(s.getEndpoints())) {
            for (String a : list(e.getAddresses())) {
              if (addrs.size() < 3) {
                addrs.add(a);
              }
              addrCount++;
            }
          }
          return cells(s.getMetadata().getName(), nz(s.getAddressType()), withMore(ports, portCount),
              withMore(addrs, addrCount), since(o, now));
        });

    add(Resources.PRIORITYCLASSES, List.of(nameCol(), col("Value", "integer", "value represents the integer value of "
            + "this priority class."),
        col("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as "
            + "the default priority for pods that do not have any priority class."), ageCol(),
        col("PreemptionPolicy", "string", "preemptionPolicy is the Policy for preempting pods with lower priority.")),
        (o, now) -> {
          PriorityClass p = (PriorityClass) o;
          return cells(p.getMetadata().getName(), p.getValue() == null ? 0L : (long) p.getValue(),
              Boolean.TRUE.equals(p.getGlobalDefault()), since(o, now), nz(p.getPreemptionPolicy()));
        });

    add(Resources.STORAGECLASSES, List.of(nameCol(), col("Provisioner", "string", "provisioner indicates the type of the "
            + "provisioner."),
        col("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned "
            + "PersistentVolumes of this storage class."),
        col("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be "
            + "provisioned and bound."),
        col("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume "
            + "expand."), ageCol()), (o, now) -> {
          StorageClass s = (StorageClass) o;
          String n = s.getMetadata().getName();
          String def = annotation(s, "storageclass.kubernetes.io/is-default-class");
          if ("true".equals(def) || "true".equals(annotation(s, "storageclass.beta.kubernetes.io/is-default-class"))) {
            n += " (default)";
          }
          return cells(n, nz(s.getProvisioner()), s.getReclaimPolicy() == null ? "Delete" : s.getReclaimPolicy(),
              s.getVolumeBindingMode() == null ? "Immediate" : s.getVolumeBindingMode(),
              Boolean.TRUE.equals(s.getAllowVolumeExpansion()), since(o, now));
        });
  }

  private static String withMore(List<String> shown, int count) {
    String ret = String.join(",", shown);
    if (count > 3) {
      return ret + " + " + (count - 3) + " more...";
    }
    return ret.isEmpty() ? "<unset>" : ret;
  }

  private static boolean jobCondition(List<JobCondition> conditions, String type) {
    for (JobCondition c : list(conditions)) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static String intOrString(io.fabric8.kubernetes.api.model.IntOrString v) {
    return v.getStrVal() != null ? v.getStrVal() : String.valueOf(v.getIntVal());
  }

  private static String selectorOrEmpty(io.fabric8.kubernetes.api.model.LabelSelector s) {
    String out = Human.selector(s);
    return out.equals("<none>") ? "" : out;
  }

  private static String externalIp(Service s) {
    var spec = s.getSpec();
    String type = spec.getType() == null ? "ClusterIP" : spec.getType();
    List<String> external = list(spec.getExternalIPs());
    switch (type) {
      case "ClusterIP", "NodePort":
        return external.isEmpty() ? "<none>" : String.join(",", external);
      case "LoadBalancer": {
        Set<String> lb = new LinkedHashSet<>();
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null) {
          for (var i : list(s.getStatus().getLoadBalancer().getIngress())) {
            if (i.getIp() != null && !i.getIp().isEmpty()) {
              lb.add(i.getIp());
            } else if (i.getHostname() != null && !i.getHostname().isEmpty()) {
              lb.add(i.getHostname());
            }
          }
        }
        List<String> all = new ArrayList<>(lb);
        all.addAll(external);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName":
        return nz(spec.getExternalName());
      default:
        return "<unknown>";
    }
  }

  /** formatEndpoints: up to three ip:port pairs, then " + N more...". */
  private static String endpoints(Endpoints e) {
    List<EndpointSubset> subsets = list(e.getSubsets());
    if (subsets.isEmpty()) {
      return "<none>";
    }
    List<String> shown = new ArrayList<>();
    int count = 0;
    boolean more = false;
    for (EndpointSubset ss : subsets) {
      List<EndpointAddress> addresses = list(ss.getAddresses());
      if (list(ss.getPorts()).isEmpty()) {
        count += addresses.size();
        for (EndpointAddress a : addresses) {
          if (shown.size() == 3) {
            more = true;
            break;
          }
          shown.add(a.getIp());
        }
        continue;
      }
      for (EndpointPort p : ss.getPorts()) {
        count += addresses.size();
        for (EndpointAddress a : addresses) {
          if (shown.size() == 3) {
            more = true;
            break;
          }
          String ip = a.getIp() == null ? "" : a.getIp();
          shown.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.getPort());
        }
      }
    }
    String ret = String.join(",", shown);
    return more ? ret + " + " + (count - 3) + " more..." : ret;
  }

  private static String accessModes(List<String> modes) {
    Set<String> m = new LinkedHashSet<>(list(modes));
    List<String> out = new ArrayList<>();
    if (m.contains("ReadWriteOnce")) {
      out.add("RWO");
    }
    if (m.contains("ReadOnlyMany")) {
      out.add("ROX");
    }
    if (m.contains("ReadWriteMany")) {
      out.add("RWX");
    }
    if (m.contains("ReadWriteOncePod")) {
      out.add("RWOP");
    }
    return String.join(",", out);
  }

  /** Quantity.String(): the canonical form ("1000m" prints as "1"), "0" for a missing one. */
  private static String quantity(Quantity q) {
    return q == null ? "0" : io.kubesim.controlplane.apiserver.validation.Quantities.canonical(q);
  }

  private static String trimComma(StringBuilder sb) {
    String s = sb.toString();
    return s.endsWith(", ") ? s.substring(0, s.length() - 2) : s;
  }

  private static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null || a.get(key) == null ? "" : a.get(key);
  }

  private static String unknown(String s) {
    return s == null || s.isEmpty() ? "<unknown>" : s;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static Map<String, Object> sorted(Map<String, Object> m) {
    return new TreeMap<>(m);
  }
}
