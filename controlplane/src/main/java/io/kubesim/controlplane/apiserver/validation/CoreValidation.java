package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.bool;
import static io.kubesim.controlplane.apiserver.validation.Util.empty;
import static io.kubesim.controlplane.apiserver.validation.Util.list;
import static io.kubesim.controlplane.apiserver.validation.Util.map;
import static io.kubesim.controlplane.apiserver.validation.Util.num;
import static io.kubesim.controlplane.apiserver.validation.Util.sorted;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.shared.json.Json;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Validation of the core (legacy group) kinds other than Pod. */
final class CoreValidation {

  static final int MAX_SECRET_SIZE = 1024 * 1024;
  static final int NODE_PORT_MIN = 30000;
  static final int NODE_PORT_MAX = 32767;
  private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  private static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
  private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

  private CoreValidation() {}

  // ---------------------------------------------------------------- Service

  static Errs validateService(Service svc) {
    FieldPath meta = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validate(svc.getMetadata(), true, ObjectMetaValidation.DNS1035_LABEL, meta);
    ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
    FieldPath sp = FieldPath.root("spec");
    String type = str(spec.getType());
    boolean headless = isHeadless(spec);
    List<ServicePort> ports = list(spec.getPorts());
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errs.required(sp.child("ports"), "");
    }
    switch (type) {
      case "LoadBalancer" -> {
        if (headless) {
          errs.invalid(sp.child("clusterIPs").index(0), clusterIPs(spec).get(0), "may not be set to 'None' for LoadBalancer services");
        }
      }
      case "NodePort" -> {
        if (headless) {
          errs.invalid(sp.child("clusterIPs").index(0), clusterIPs(spec).get(0), "may not be set to 'None' for NodePort services");
        }
      }
      case "ExternalName" -> {
        if (!clusterIPs(spec).isEmpty()) {
          errs.forbidden(sp.child("clusterIPs"), "may not be set for ExternalName services");
        }
        if (!list(spec.getIpFamilies()).isEmpty()) {
          errs.forbidden(sp.child("ipFamilies"), "may not be set for ExternalName services");
        }
        if (spec.getIpFamilyPolicy() != null) {
          errs.forbidden(sp.child("ipFamilyPolicy"), "may not be set for ExternalName services");
        }
        String cname = str(spec.getExternalName());
        if (cname.endsWith(".")) {
          cname = cname.substring(0, cname.length() - 1);
        }
        if (!cname.isEmpty()) {
          errs.invalidEach(sp.child("externalName"), cname, NameValidation.isDns1123Subdomain(cname));
        } else {
          errs.required(sp.child("externalName"), "");
        }
      }
      default -> { }
    }
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      servicePort(errs, ports.get(i), ports.size() > 1, portNames, sp.child("ports").index(i));
    }
    if (spec.getSelector() != null) {
      ObjectMetaValidation.validateLabels(errs, spec.getSelector(), sp.child("selector"));
    }
    String affinity = str(spec.getSessionAffinity());
    if (affinity.isEmpty()) {
      errs.required(sp.child("sessionAffinity"), "");
    } else if (!affinity.equals("ClientIP") && !affinity.equals("None")) {
      errs.notSupported(sp.child("sessionAffinity"), affinity, List.of("ClientIP", "None"));
    }
    if (affinity.equals("ClientIP")) {
      var cfg = spec.getSessionAffinityConfig();
      FieldPath cp = sp.child("sessionAffinityConfig");
      if (cfg == null) {
        errs.required(cp, "when session affinity type is ClientIP");
      } else if (cfg.getClientIP() == null) {
        errs.required(cp.child("clientIP"), "when session affinity type is ClientIP");
      } else if (cfg.getClientIP().getTimeoutSeconds() == null) {
        errs.required(cp.child("clientIP", "timeoutSeconds"), "when session affinity type is ClientIP");
      } else {
        int t = cfg.getClientIP().getTimeoutSeconds();
        if (t <= 0 || t > 86400) {
          errs.invalid(cp.child("clientIP", "timeoutSeconds"), t, "must be greater than 0 and less than 86400");
        }
      }
    } else if (affinity.equals("None") && spec.getSessionAffinityConfig() != null) {
      errs.forbidden(sp.child("sessionAffinityConfig"), "must not be set when session affinity is None");
    }
    List<String> ips = clusterIPs(spec);
    for (int i = 0; i < ips.size(); i++) {
      String ip = ips.get(i);
      if (ip.equals("None") && i == 0) {
        continue;
      }
      if (!isIP(ip)) {
        errs.invalid(sp.child("clusterIPs").index(i), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
      }
    }
    var externalIPs = list(spec.getExternalIPs());
    for (int i = 0; i < externalIPs.size(); i++) {
      ipErrors(errs, externalIPs.get(i), sp.child("externalIPs").index(i));
    }
    if (type.isEmpty()) {
      errs.required(sp.child("type"), "");
    } else if (!SERVICE_TYPES.contains(type)) {
      errs.notSupported(sp.child("type"), type, SERVICE_TYPES);
    }
    if (type.equals("ClusterIP")) {
      for (int i = 0; i < ports.size(); i++) {
        if (num(ports.get(i).getNodePort()) != 0) {
          errs.forbidden(sp.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'");
        }
      }
    }
    Set<String> nodePorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      long np = num(ports.get(i).getNodePort());
      if (np != 0 && !nodePorts.add(str(ports.get(i).getProtocol()) + "/" + np)) {
        errs.duplicate(sp.child("ports").index(i).child("nodePort"), (int) np);
      }
    }
    Set<String> seenPorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort port = ports.get(i);
      String key = str(port.getProtocol()) + "/" + num(port.getPort());
      if (!seenPorts.add(key)) {
        errs.duplicate(sp.child("ports").index(i), GoValue.raw("core.ServicePort{Name:\"\", Protocol:" + GoValue.quote(str(port.getProtocol()))
            + ", AppProtocol:(*string)(nil), Port:" + num(port.getPort()) + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
      }
    }
    if (!list(spec.getLoadBalancerSourceRanges()).isEmpty() && !type.equals("LoadBalancer")) {
      errs.forbidden(sp.child("LoadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'");
    }
    if (spec.getAllocateLoadBalancerNodePorts() != null && !type.equals("LoadBalancer")) {
      errs.forbidden(sp.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'");
    }
    if (type.equals("LoadBalancer") && spec.getAllocateLoadBalancerNodePorts() == null) {
      errs.required(FieldPath.root("allocateLoadBalancerNodePorts"), "");
    }
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    String etp = str(spec.getExternalTrafficPolicy());
    if (!external) {
      if (!etp.isEmpty()) {
        errs.invalid(sp.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services");
      }
    } else if (etp.isEmpty()) {
      errs.required(sp.child("externalTrafficPolicy"), "");
    } else if (!etp.equals("Cluster") && !etp.equals("Local")) {
      errs.notSupported(sp.child("externalTrafficPolicy"), etp, List.of("Cluster", "Local"));
    }
    String itp = spec.getInternalTrafficPolicy();
    if (itp == null) {
      if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
        errs.required(sp.child("internalTrafficPolicy"), "");
      }
    } else if (!itp.equals("Cluster") && !itp.equals("Local")) {
      errs.notSupported(sp.child("internalTrafficPolicy"), itp, List.of("Cluster", "Local"));
    }
    if (spec.getTrafficDistribution() != null
        && !List.of("PreferClose", "PreferSameZone", "PreferSameNode").contains(spec.getTrafficDistribution())) {
      errs.notSupported(sp.child("trafficDistribution"), spec.getTrafficDistribution(),
          List.of("PreferClose", "PreferSameZone", "PreferSameNode"));
    }
    // The REST layer's node port allocator rejects ports outside the service-node-port-range.
    if (external) {
      for (int i = 0; i < ports.size(); i++) {
        long np = num(ports.get(i).getNodePort());
        if (np != 0 && (np < NODE_PORT_MIN || np > NODE_PORT_MAX)) {
          errs.invalid(sp.child("ports").index(i).child("nodePort"), (int) np,
              "provided port is not in the valid range. The range of valid ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX);
        }
      }
    }
    return errs;
  }

  private static void servicePort(Errs errs, ServicePort sp, boolean requireName, Set<String> names, FieldPath p) {
    String name = str(sp.getName());
    if (requireName && name.isEmpty()) {
      errs.required(p.child("name"), "");
    } else if (!name.isEmpty()) {
      errs.invalidEach(p.child("name"), name, NameValidation.isDns1123Label(name));
      if (!names.add(name)) {
        errs.duplicate(p.child("name"), name);
      }
    }
    errs.invalidEach(p.child("port"), (int) num(sp.getPort()), NameValidation.isValidPortNum(num(sp.getPort())));
    String proto = str(sp.getProtocol());
    if (proto.isEmpty()) {
      errs.required(p.child("protocol"), "");
    } else if (!PodValidation.PROTOCOLS.contains(proto)) {
      errs.notSupported(p.child("protocol"), proto, PodValidation.PROTOCOLS);
    }
    PodValidation.portNumOrName(errs, sp.getTargetPort(), p.child("targetPort"));
    if (sp.getAppProtocol() != null) {
      errs.invalidEach(p.child("appProtocol"), sp.getAppProtocol(), NameValidation.isQualifiedName(sp.getAppProtocol()));
    }
  }

  static List<String> clusterIPs(ServiceSpec spec) {
    List<String> ips = list(spec.getClusterIPs());
    if (ips.isEmpty() && !empty(spec.getClusterIP())) {
      return List.of(spec.getClusterIP());
    }
    return ips;
  }

  private static boolean isHeadless(ServiceSpec spec) {
    List<String> ips = clusterIPs(spec);
    return !ips.isEmpty() && ips.get(0).equals("None");
  }

  static Errs validateServiceUpdate(Service newSvc, Service oldSvc) {
    Errs errs = ObjectMetaValidation.validateUpdate(newSvc.getMetadata(), oldSvc.getMetadata(), FieldPath.root("metadata"));
    ServiceSpec ns = newSvc.getSpec() == null ? new ServiceSpec() : newSvc.getSpec();
    ServiceSpec os = oldSvc.getSpec() == null ? new ServiceSpec() : oldSvc.getSpec();
    if (!"ExternalName".equals(ns.getType()) && !"ExternalName".equals(os.getType()) && !(isHeadless(ns) && isHeadless(os))) {
      List<String> oldIps = clusterIPs(os);
      List<String> newIps = clusterIPs(ns);
      FieldPath p = FieldPath.root("spec", "clusterIPs");
      GoValue shown = GoValue.stringSlice(newIps.isEmpty() && list(ns.getClusterIPs()).isEmpty() ? null : newIps);
      if (oldIps.size() == newIps.size()) {
        for (int i = 0; i < oldIps.size(); i++) {
          if (!oldIps.get(i).equals(newIps.get(i))) {
            errs.invalid(p.index(i), shown, "may not change once set");
          }
        }
      } else if (oldIps.size() > newIps.size()) {
        if (newIps.isEmpty()) {
          errs.invalid(p.index(0), shown, "primary clusterIP can not be unset");
        } else if (!newIps.get(0).equals(oldIps.get(0))) {
          errs.invalid(p.index(0), shown, "may not change once set");
        }
      } else if (!oldIps.isEmpty() && !newIps.get(0).equals(oldIps.get(0))) {
        errs.invalid(p.index(0), shown, "may not change once set");
      }
    }
    return errs.addAll(validateService(newSvc));
  }

  // ---------------------------------------------------------------- Node

  static Errs validateNode(Node node) {
    FieldPath meta = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validate(node.getMetadata(), false, ObjectMetaValidation.DNS_SUBDOMAIN, meta);
    if (node.getSpec() != null && !list(node.getSpec().getTaints()).isEmpty()) {
      nodeTaints(errs, node.getSpec().getTaints(), meta.child("taints"));
    }
    nodeResources(errs, node, null);
    if (node.getSpec() != null) {
      List<String> cidrs = list(node.getSpec().getPodCIDRs());
      FieldPath cp = FieldPath.root("spec", "podCIDRs");
      for (int i = 0; i < cidrs.size(); i++) {
        if (!isCIDR(cidrs.get(i))) {
          errs.invalid(cp.index(i), cidrs.get(i), "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
      }
      if (cidrs.size() > 1) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cidrs.size(); i++) {
          if (!seen.add(cidrs.get(i))) {
            errs.duplicate(cp.index(i), cidrs.get(i));
          }
        }
      }
    }
    return errs;
  }

  static Errs validateNodeUpdate(Node node, Node old) {
    FieldPath meta = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validateUpdate(node.getMetadata(), old.getMetadata(), meta);
    nodeResources(errs, node, old);
    if (node.getStatus() != null) {
      Set<String> seen = new HashSet<>();
      List<NodeAddress> addrs = list(node.getStatus().getAddresses());
      for (int i = 0; i < addrs.size(); i++) {
        String key = str(addrs.get(i).getType()) + "/" + str(addrs.get(i).getAddress());
        if (!seen.add(key)) {
          errs.duplicate(FieldPath.root("status", "addresses").index(i), GoValue.raw("core.NodeAddress{Type:"
              + GoValue.quote(addrs.get(i).getType()) + ", Address:" + GoValue.quote(addrs.get(i).getAddress()) + "}"));
        }
      }
    }
    List<String> oldCidrs = old.getSpec() == null ? List.of() : list(old.getSpec().getPodCIDRs());
    List<String> newCidrs = node.getSpec() == null ? List.of() : list(node.getSpec().getPodCIDRs());
    if (!oldCidrs.isEmpty()) {
      String msg = "node updates may not change podCIDR except from \"\" to valid";
      if (oldCidrs.size() != newCidrs.size()) {
        errs.forbidden(FieldPath.root("spec", "podCIDRs"), msg);
      } else {
        for (int i = 0; i < oldCidrs.size(); i++) {
          if (!oldCidrs.get(i).equals(newCidrs.get(i))) {
            errs.forbidden(FieldPath.root("spec", "podCIDRs"), msg);
          }
        }
      }
    }
    String oldProvider = old.getSpec() == null ? "" : str(old.getSpec().getProviderID());
    String newProvider = node.getSpec() == null ? "" : str(node.getSpec().getProviderID());
    if (!oldProvider.isEmpty() && !oldProvider.equals(newProvider)) {
      errs.forbidden(FieldPath.root("spec", "providerID"), "node updates may not change providerID except from \"\" to valid");
    }
    if (node.getSpec() != null && !list(node.getSpec().getTaints()).isEmpty()) {
      nodeTaints(errs, node.getSpec().getTaints(), meta.child("taints"));
    }
    String oldExt = old.getSpec() == null ? "" : str(old.getSpec().getExternalID());
    String newExt = node.getSpec() == null ? "" : str(node.getSpec().getExternalID());
    if (!oldExt.equals(newExt)) {
      errs.forbidden(FieldPath.root("spec", "externalID"), "may not be updated");
    }
    return errs;
  }

  private static void nodeTaints(Errs errs, List<Taint> taints, FieldPath p) {
    Map<String, Set<String>> unique = new HashMap<>();
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      FieldPath ip = p.index(i);
      ObjectMetaValidation.validateLabelName(errs, t.getKey(), ip.child("key"));
      List<String> msgs = NameValidation.isValidLabelValue(str(t.getValue()));
      if (!msgs.isEmpty()) {
        errs.invalid(ip.child("value"), str(t.getValue()), String.join(";", msgs));
      }
      String effect = str(t.getEffect());
      if (effect.isEmpty()) {
        errs.required(ip.child("effect"), "");
      } else if (!PodValidation.taintEffects().contains(effect)) {
        errs.notSupported(ip.child("effect"), effect, PodValidation.taintEffects());
      }
      Set<String> keys = unique.computeIfAbsent(effect, k -> new HashSet<>());
      if (!keys.add(str(t.getKey()))) {
        errs.duplicate(ip, GoValue.raw("core.Taint{Key:" + GoValue.quote(t.getKey()) + ", Value:" + GoValue.quote(t.getValue())
            + ", Effect:" + GoValue.quote(effect) + ", TimeAdded:(*v1.Time)(nil)}"), "taints must be unique by key and effect pair");
      }
    }
  }

  /**
   * The status's capacity and allocatable quantities. On an update, a map that is the very one the
   * stored node holds is not looked at again: the stored node passed this validation, and a status
   * patch that leaves the quantities alone (the kubelet's heartbeat) shares them with it.
   */
  private static void nodeResources(Errs errs, Node node, Node old) {
    if (node.getStatus() == null) {
      return;
    }
    NodeStatus before = old == null ? null : old.getStatus();
    nodeQuantities(errs, "capacity", node.getStatus().getCapacity(), before == null ? null : before.getCapacity());
    nodeQuantities(errs, "allocatable", node.getStatus().getAllocatable(),
        before == null ? null : before.getAllocatable());
  }

  private static void nodeQuantities(Errs errs, String field, Map<String, Quantity> quantities,
      Map<String, Quantity> stored) {
    if (quantities == stored && stored != null) {
      return;
    }
    for (Map.Entry<String, Quantity> e : sorted(quantities).entrySet()) {
      PodValidation.quantityValue(errs, e.getKey(), e.getValue(), FieldPath.root("status", field, e.getKey()));
    }
  }

  // ---------------------------------------------------------------- Namespace

  static Errs validateNamespace(Namespace ns) {
    Errs errs = ObjectMetaValidation.validate(ns.getMetadata(), false, ObjectMetaValidation.DNS_LABEL, FieldPath.root("metadata"));
    if (ns.getSpec() != null) {
      for (String f : list(ns.getSpec().getFinalizers())) {
        FieldPath p = FieldPath.root("spec", "finalizers");
        errs.invalidEach(p, f, NameValidation.isQualifiedName(f));
        ObjectMetaValidation.validateKubeFinalizerName(errs, f, p);
      }
    }
    return errs;
  }

  static Errs validateNamespaceFinalizers(Namespace ns) {
    Errs errs = new Errs();
    if (ns.getSpec() != null) {
      for (String f : list(ns.getSpec().getFinalizers())) {
        FieldPath p = FieldPath.root("spec", "finalizers");
        errs.invalidEach(p, f, NameValidation.isQualifiedName(f));
        ObjectMetaValidation.validateKubeFinalizerName(errs, f, p);
      }
    }
    return errs;
  }

  static Errs validateNamespaceStatusUpdate(Namespace ns, Namespace old) {
    Errs errs = ObjectMetaValidation.validateUpdate(ns.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    String phase = ns.getStatus() == null ? "" : str(ns.getStatus().getPhase());
    boolean deleting = ns.getMetadata() != null && !empty(ns.getMetadata().getDeletionTimestamp());
    if (!deleting && !phase.equals("Active")) {
      errs.invalid(FieldPath.root("status", "Phase"), phase, "may only be 'Active' if `deletionTimestamp` is empty");
    } else if (deleting && !phase.equals("Terminating")) {
      errs.invalid(FieldPath.root("status", "Phase"), phase, "may only be 'Terminating' if `deletionTimestamp` is not empty");
    }
    return errs;
  }

  // ---------------------------------------------------------------- Event

  /** Events through the core v1 API: only the legacy checks, then the generic metadata checks. */
  static Errs validateEvent(Event e) {
    Errs errs = legacyEvent(e.getMetadata() == null ? "" : str(e.getMetadata().getNamespace()), e.getInvolvedObject(),
        e.getEventTime() == null ? null : e.getEventTime().getTime(), e.getReportingComponent(), e.getReportingInstance(),
        e.getAction(), e.getReason(), e.getMessage());
    if (errs.isEmpty()) {
      errs.addAll(genericMeta(e.getMetadata(), true));
    }
    return errs;
  }

  static Errs legacyEvent(String namespace, ObjectReference involved, String eventTime, String reportingController,
      String reportingInstance, String action, String reason, String message) {
    Errs errs = new Errs();
    String involvedNs = involved == null ? "" : str(involved.getNamespace());
    FieldPath inp = FieldPath.root("involvedObject", "namespace");
    if (empty(eventTime)) {
      if (involvedNs.isEmpty()) {
        if (!namespace.isEmpty() && !namespace.equals("default")) {
          errs.invalid(inp, involvedNs, "does not match event.namespace");
        }
      } else if (!namespace.equals(involvedNs)) {
        errs.invalid(inp, involvedNs, "does not match event.namespace");
      }
    } else {
      if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
        errs.invalid(inp, involvedNs, "does not match event.namespace");
      }
      if (empty(reportingController)) {
        errs.required(FieldPath.root("reportingController"), "");
      }
      errs.invalidEach(FieldPath.root("reportingController"), str(reportingController), NameValidation.isQualifiedName(str(reportingController)));
      if (empty(reportingInstance)) {
        errs.required(FieldPath.root("reportingInstance"), "");
      }
      if (str(reportingInstance).length() > 128) {
        errs.invalid(FieldPath.root("reportingInstance"), "", "can have at most 128 characters");
      }
      if (empty(action)) {
        errs.required(FieldPath.root("action"), "");
      }
      if (str(action).length() > 128) {
        errs.invalid(FieldPath.root("action"), "", "can have at most 128 characters");
      }
      if (empty(reason)) {
        errs.required(FieldPath.root("reason"), "");
      }
      if (str(reason).length() > 128) {
        errs.invalid(FieldPath.root("reason"), "", "can have at most 128 characters");
      }
      if (str(message).length() > 1024) {
        errs.invalid(FieldPath.root("message"), "", "can have at most 1024 characters");
      }
    }
    errs.invalidEach(FieldPath.root("namespace"), namespace, NameValidation.isDns1123Subdomain(namespace));
    return errs;
  }

  /** The generic metadata check the REST layer runs after a kind's own validation (path-segment names). */
  static Errs genericMeta(io.fabric8.kubernetes.api.model.ObjectMeta meta, boolean namespaced) {
    return ObjectMetaValidation.validate(meta, namespaced, (name, prefix) -> {
      if (prefix) {
        return List.of();
      }
      List<String> msgs = new ArrayList<>();
      for (String bad : List.of(".", "..")) {
        if (name.equals(bad)) {
          msgs.add("may not be '" + bad + "'");
        }
      }
      for (String bad : List.of("/", "%")) {
        if (name.contains(bad)) {
          msgs.add("may not contain '" + bad + "'");
        }
      }
      return msgs;
    }, FieldPath.root("metadata"));
  }

  // ---------------------------------------------------------------- ConfigMap, Secret, ServiceAccount

  static Errs validateConfigMap(ConfigMap cm) {
    Errs errs = ObjectMetaValidation.validate(cm.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    long total = 0;
    for (Map.Entry<String, String> e : sorted(cm.getData()).entrySet()) {
      FieldPath p = FieldPath.root("data").key(e.getKey());
      errs.invalidEach(p, e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
      if (map(cm.getBinaryData()).containsKey(e.getKey())) {
        errs.invalid(p, e.getKey(), "duplicate of key present in binaryData");
      }
      total += NameValidation.byteLength(str(e.getValue()));
    }
    for (Map.Entry<String, String> e : sorted(cm.getBinaryData()).entrySet()) {
      errs.invalidEach(FieldPath.root("binaryData").key(e.getKey()), e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
      total += decodedLength(e.getValue());
    }
    if (total > MAX_SECRET_SIZE) {
      errs.tooLong(FieldPath.root("[]"), MAX_SECRET_SIZE);
    }
    return errs;
  }

  static Errs validateConfigMapUpdate(ConfigMap cm, ConfigMap old) {
    Errs errs = ObjectMetaValidation.validateUpdate(cm.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    if (bool(old.getImmutable())) {
      if (!bool(cm.getImmutable())) {
        errs.forbidden(FieldPath.root("immutable"), "field is immutable when `immutable` is set");
      }
      if (!Objects.equals(map(cm.getData()), map(old.getData()))) {
        errs.forbidden(FieldPath.root("data"), "field is immutable when `immutable` is set");
      }
      if (!Objects.equals(map(cm.getBinaryData()), map(old.getBinaryData()))) {
        errs.forbidden(FieldPath.root("binaryData"), "field is immutable when `immutable` is set");
      }
    }
    return errs.addAll(validateConfigMap(cm));
  }

  static Errs validateSecret(Secret s) {
    Errs errs = ObjectMetaValidation.validate(s.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    FieldPath dataPath = FieldPath.root("data");
    Map<String, Integer> sizes = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : map(s.getData()).entrySet()) {
      sizes.put(e.getKey(), decodedLength(e.getValue()));
    }
    for (Map.Entry<String, String> e : map(s.getStringData()).entrySet()) {
      sizes.put(e.getKey(), NameValidation.byteLength(str(e.getValue())));
    }
    long total = 0;
    for (Map.Entry<String, Integer> e : sizes.entrySet()) {
      errs.invalidEach(dataPath.key(e.getKey()), e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
      total += e.getValue();
    }
    if (total > MAX_SECRET_SIZE) {
      errs.tooLong(dataPath, MAX_SECRET_SIZE);
    }
    String type = str(s.getType());
    switch (type) {
      case "kubernetes.io/service-account-token" -> {
        var ann = s.getMetadata() == null ? null : s.getMetadata().getAnnotations();
        if (empty(map(ann).get("kubernetes.io/service-account.name"))) {
          errs.required(FieldPath.root("metadata", "annotations").key("kubernetes.io/service-account.name"), "");
        }
      }
      case "kubernetes.io/dockercfg" -> jsonKey(errs, s, sizes, ".dockercfg", dataPath);
      case "kubernetes.io/dockerconfigjson" -> jsonKey(errs, s, sizes, ".dockerconfigjson", dataPath);
      case "kubernetes.io/basic-auth" -> {
        if (!sizes.containsKey("username") && !sizes.containsKey("password")) {
          errs.required(dataPath.key("username"), "");
          errs.required(dataPath.key("password"), "");
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (sizes.getOrDefault("ssh-privatekey", 0) == 0) {
          errs.required(dataPath.key("ssh-privatekey"), "");
        }
      }
      case "kubernetes.io/tls" -> {
        if (!sizes.containsKey("tls.crt")) {
          errs.required(dataPath.key("tls.crt"), "");
        }
        if (!sizes.containsKey("tls.key")) {
          errs.required(dataPath.key("tls.key"), "");
        }
      }
      default -> { }
    }
    return errs;
  }

  private static void jsonKey(Errs errs, Secret s, Map<String, Integer> sizes, String key, FieldPath dataPath) {
    if (!sizes.containsKey(key)) {
      errs.required(dataPath.key(key), "");
      return;
    }
    String text = map(s.getStringData()).get(key);
    if (text == null) {
      try {
        text = new String(Base64.getDecoder().decode(str(map(s.getData()).get(key))), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        text = "";
      }
    }
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      if (!n.isObject()) {
        throw new IllegalArgumentException("json: cannot unmarshal into Go value of type map[string]interface {}");
      }
    } catch (RuntimeException ex) {
      errs.invalid(dataPath.key(key), "<secret contents redacted>", "invalid character in JSON");
    }
  }

  static Errs validateSecretUpdate(Secret s, Secret old) {
    Errs errs = ObjectMetaValidation.validateUpdate(s.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    errs.immutable(str(s.getType()).equals(str(old.getType())), str(s.getType()), FieldPath.root("type"));
    if (bool(old.getImmutable())) {
      if (!bool(s.getImmutable())) {
        errs.forbidden(FieldPath.root("immutable"), "field is immutable when `immutable` is set");
      }
      if (!Objects.equals(map(s.getData()), map(old.getData()))) {
        errs.forbidden(FieldPath.root("data"), "field is immutable when `immutable` is set");
      }
    }
    return errs.addAll(validateSecret(s));
  }

  private static int decodedLength(String b64) {
    try {
      return Base64.getDecoder().decode(str(b64)).length;
    } catch (IllegalArgumentException e) {
      return str(b64).length();
    }
  }

  // ---------------------------------------------------------------- PersistentVolume, PersistentVolumeClaim

  static Errs validatePersistentVolume(PersistentVolume pv) {
    Errs errs = ObjectMetaValidation.validate(pv.getMetadata(), false, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    PersistentVolumeSpec spec = pv.getSpec() == null ? new PersistentVolumeSpec() : pv.getSpec();
    FieldPath sp = FieldPath.root("spec");
    List<String> modes = list(spec.getAccessModes());
    if (modes.isEmpty()) {
      errs.required(sp.child("accessModes"), "");
    }
    accessModes(errs, modes, sp.child("accessModes"));
    Map<String, Quantity> cap = map(spec.getCapacity());
    if (cap.isEmpty()) {
      errs.required(sp.child("capacity"), "");
    }
    if (!cap.containsKey("storage") || cap.size() > 1) {
      errs.notSupported(sp.child("capacity"), GoValue.raw(resourceListText(cap)), List.of("storage"));
    }
    for (Map.Entry<String, Quantity> e : sorted(cap).entrySet()) {
      FieldPath qp = sp.child("capacity").key(e.getKey());
      try {
        Quantities.Parsed q = Quantities.parse(e.getValue());
        if (q.signum() <= 0) {
          errs.invalid(qp, q.canonical(), "must be greater than zero");
        }
      } catch (Quantities.QuantityException ex) {
        errs.invalid(qp, Quantities.text(e.getValue()), ex.getMessage());
      }
    }
    String reclaim = str(spec.getPersistentVolumeReclaimPolicy());
    if (!reclaim.isEmpty() && !RECLAIM_POLICIES.contains(reclaim)) {
      errs.notSupported(sp.child("persistentVolumeReclaimPolicy"), reclaim, RECLAIM_POLICIES);
    }
    JsonNode tree = Json.tree(spec);
    Set<String> nonSources = Set.of("accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity",
        "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName");
    List<String> sources = new ArrayList<>();
    for (Iterator<String> it = tree.propertyNames().iterator(); it.hasNext(); ) {
      String f = it.next();
      if (!nonSources.contains(f) && !tree.get(f).isNull()) {
        sources.add(f);
      }
    }
    if (sources.isEmpty()) {
      errs.required(sp, "must specify a volume type");
    }
    for (int i = 1; i < sources.size(); i++) {
      errs.forbidden(sp.child(sources.get(i)), "may not specify more than 1 volume type");
    }
    if (!empty(spec.getStorageClassName())) {
      errs.invalidEach(sp.child("storageClassName"), spec.getStorageClassName(),
          NameValidation.nameIsDnsSubdomain(spec.getStorageClassName(), false));
    }
    if (spec.getVolumeMode() != null && !VOLUME_MODES.contains(spec.getVolumeMode())) {
      errs.notSupported(sp.child("volumeMode"), spec.getVolumeMode(), VOLUME_MODES);
    }
    return errs;
  }

  static Errs validatePersistentVolumeUpdate(PersistentVolume pv, PersistentVolume old) {
    Errs errs = validatePersistentVolume(pv);
    errs.addAll(ObjectMetaValidation.validateUpdate(pv.getMetadata(), old.getMetadata(), FieldPath.root("metadata")));
    var ns = Json.tree(pv.getSpec() == null ? new PersistentVolumeSpec() : pv.getSpec());
    var os = Json.tree(old.getSpec() == null ? new PersistentVolumeSpec() : old.getSpec());
    for (String f : List.of("accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy",
        "storageClassName", "volumeMode", "volumeAttributesClassName")) {
      ((tools.jackson.databind.node.ObjectNode) ns).remove(f);
      ((tools.jackson.databind.node.ObjectNode) os).remove(f);
    }
    if (!ns.equals(os)) {
      errs.forbidden(FieldPath.root("spec", "persistentvolumesource"),
          "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.diff(os, ns));
    }
    String nm = pv.getSpec() == null ? null : pv.getSpec().getVolumeMode();
    String om = old.getSpec() == null ? null : old.getSpec().getVolumeMode();
    errs.immutable(Objects.equals(nm, om), nm == null ? GoValue.raw("null") : nm, FieldPath.root("volumeMode"));
    return errs;
  }

  private static void accessModes(Errs errs, List<String> modes, FieldPath p) {
    boolean rwop = false;
    boolean other = false;
    for (String m : modes) {
      if (!ACCESS_MODES.contains(m)) {
        errs.notSupported(p, m, ACCESS_MODES);
      }
      if (m.equals("ReadWriteOncePod")) {
        rwop = true;
      } else if (ACCESS_MODES.contains(m)) {
        other = true;
      }
    }
    if (rwop && other) {
      errs.forbidden(p, "may not use ReadWriteOncePod with other access modes");
    }
  }

  static Errs validatePersistentVolumeClaim(PersistentVolumeClaim pvc) {
    Errs errs = ObjectMetaValidation.validate(pvc.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    errs.addAll(validatePvcSpec(pvc.getSpec() == null ? new PersistentVolumeClaimSpec() : pvc.getSpec(), FieldPath.root("spec")));
    return errs;
  }

  static Errs validatePvcSpec(PersistentVolumeClaimSpec spec, FieldPath sp) {
    Errs errs = new Errs();
    List<String> modes = list(spec.getAccessModes());
    if (modes.isEmpty()) {
      errs.required(sp.child("accessModes"), "at least 1 access mode is required");
    }
    if (spec.getSelector() != null) {
      ObjectMetaValidation.validateLabelSelector(errs, spec.getSelector(), sp.child("selector"));
    }
    accessModes(errs, modes, sp.child("accessModes"));
    Map<String, Quantity> requests = spec.getResources() == null ? Map.of() : map(spec.getResources().getRequests());
    FieldPath rp = sp.child("resources").key("storage");
    if (!requests.containsKey("storage")) {
      errs.required(rp, "");
    } else {
      try {
        Quantities.Parsed q = Quantities.parse(requests.get("storage"));
        if (q.signum() <= 0) {
          errs.invalid(rp, q.canonical(), "must be greater than zero");
        }
      } catch (Quantities.QuantityException ex) {
        errs.invalid(rp, Quantities.text(requests.get("storage")), ex.getMessage());
      }
    }
    if (!empty(spec.getStorageClassName())) {
      errs.invalidEach(sp.child("storageClassName"), spec.getStorageClassName(),
          NameValidation.nameIsDnsSubdomain(spec.getStorageClassName(), false));
    }
    if (spec.getVolumeMode() != null && !VOLUME_MODES.contains(spec.getVolumeMode())) {
      errs.notSupported(sp.child("volumeMode"), spec.getVolumeMode(), VOLUME_MODES);
    }
    return errs;
  }

  static Errs validatePersistentVolumeClaimUpdate(PersistentVolumeClaim pvc, PersistentVolumeClaim old) {
    Errs errs = ObjectMetaValidation.validateUpdate(pvc.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    errs.addAll(validatePersistentVolumeClaim(pvc));
    var ns = (tools.jackson.databind.node.ObjectNode) Json.tree(pvc.getSpec() == null ? new PersistentVolumeClaimSpec() : pvc.getSpec());
    var os = (tools.jackson.databind.node.ObjectNode) Json.tree(old.getSpec() == null ? new PersistentVolumeClaimSpec() : old.getSpec());
    if (!os.has("volumeName") || os.get("volumeName").asString().isEmpty()) {
      os.remove("volumeName");
      ns.remove("volumeName");
    }
    boolean bound = pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
    if (bound) {
      JsonNode oldStorage = os.at("/resources/requests/storage");
      if (ns.at("/resources/requests").isObject()) {
        ((tools.jackson.databind.node.ObjectNode) ns.at("/resources/requests")).set("storage", oldStorage.isMissingNode() ? null : oldStorage);
      }
      copy(ns, os, "volumeAttributesClassName");
    }
    if (!ns.equals(os)) {
      errs.forbidden(FieldPath.root("spec"),
          "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n" + SpecDiff.diff(os, ns));
    }
    try {
      Quantity oldQ = old.getSpec() == null || old.getSpec().getResources() == null ? null
          : map(old.getSpec().getResources().getRequests()).get("storage");
      Quantity newQ = pvc.getSpec() == null || pvc.getSpec().getResources() == null ? null
          : map(pvc.getSpec().getResources().getRequests()).get("storage");
      if (oldQ != null && newQ != null && Quantities.parse(newQ).compareTo(Quantities.parse(oldQ)) < 0) {
        Quantity statusQ = old.getStatus() == null ? null : map(old.getStatus().getCapacity()).get("storage");
        if (statusQ == null || Quantities.parse(newQ).compareTo(Quantities.parse(statusQ)) <= 0) {
          errs.forbidden(FieldPath.root("spec", "resources", "requests", "storage"), "field can not be less than status.capacity");
        }
      }
    } catch (Quantities.QuantityException ignored) {
      // reported by the create-time checks above
    }
    String nm = pvc.getSpec() == null ? null : pvc.getSpec().getVolumeMode();
    String om = old.getSpec() == null ? null : old.getSpec().getVolumeMode();
    errs.immutable(Objects.equals(nm, om), nm == null ? GoValue.raw("null") : nm, FieldPath.root("volumeMode"));
    return errs;
  }

  private static void copy(tools.jackson.databind.node.ObjectNode to, tools.jackson.databind.node.ObjectNode from, String f) {
    if (from.has(f)) {
      to.set(f, from.get(f));
    } else {
      to.remove(f);
    }
  }

  // ---------------------------------------------------------------- Endpoints

  static Errs validateEndpoints(Endpoints ep) {
    Errs errs = ObjectMetaValidation.validate(ep.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    List<EndpointSubset> subsets = list(ep.getSubsets());
    for (int i = 0; i < subsets.size(); i++) {
      EndpointSubset ss = subsets.get(i);
      FieldPath ip = FieldPath.root("subsets").index(i);
      if (list(ss.getAddresses()).isEmpty() && list(ss.getNotReadyAddresses()).isEmpty()) {
        errs.required(ip, "must specify `addresses` or `notReadyAddresses`");
      }
      List<EndpointAddress> addrs = list(ss.getAddresses());
      for (int a = 0; a < addrs.size(); a++) {
        endpointAddress(errs, addrs.get(a), ip.child("addresses").index(a));
      }
      List<EndpointAddress> notReady = list(ss.getNotReadyAddresses());
      for (int a = 0; a < notReady.size(); a++) {
        endpointAddress(errs, notReady.get(a), ip.child("notReadyAddresses").index(a));
      }
      List<EndpointPort> ports = list(ss.getPorts());
      for (int p = 0; p < ports.size(); p++) {
        EndpointPort port = ports.get(p);
        FieldPath pp = ip.child("ports").index(p);
        if (ports.size() > 1 && empty(port.getName())) {
          errs.required(pp.child("name"), "");
        } else if (!empty(port.getName())) {
          errs.invalidEach(pp.child("name"), port.getName(), NameValidation.isDns1123Label(port.getName()));
        }
        errs.invalidEach(pp.child("port"), (int) num(port.getPort()), NameValidation.isValidPortNum(num(port.getPort())));
        String proto = str(port.getProtocol());
        if (proto.isEmpty()) {
          errs.required(pp.child("protocol"), "");
        } else if (!PodValidation.PROTOCOLS.contains(proto)) {
          errs.notSupported(pp.child("protocol"), proto, PodValidation.PROTOCOLS);
        }
        if (port.getAppProtocol() != null) {
          errs.invalidEach(pp.child("appProtocol"), port.getAppProtocol(), NameValidation.isQualifiedName(port.getAppProtocol()));
        }
      }
    }
    return errs;
  }

  private static void endpointAddress(Errs errs, EndpointAddress a, FieldPath p) {
    String ip = str(a.getIp());
    if (!isIP(ip)) {
      errs.invalid(p.child("ip"), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
    if (!empty(a.getHostname())) {
      errs.invalidEach(p.child("hostname"), a.getHostname(), NameValidation.isDns1123Label(a.getHostname()));
    }
    if (a.getNodeName() != null) {
      errs.invalidEach(p.child("nodeName"), a.getNodeName(), NameValidation.nameIsDnsSubdomain(a.getNodeName(), false));
    }
    nonSpecialIp(errs, ip, p.child("ip"));
  }

  static void ipErrors(Errs errs, String ip, FieldPath p) {
    if (!isIP(ip)) {
      errs.invalid(p, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    } else {
      nonSpecialIp(errs, ip, p);
    }
  }

  static void nonSpecialIp(Errs errs, String ip, FieldPath p) {
    if (!isIP(ip)) {
      errs.invalid(p, ip, "must be a valid IP address");
      return;
    }
    try {
      InetAddress a = InetAddress.getByName(ip);
      if (a.isAnyLocalAddress()) {
        errs.invalid(p, ip, "may not be unspecified (" + ip + ")");
      }
      if (a.isLoopbackAddress()) {
        errs.invalid(p, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
      }
      if (a.isLinkLocalAddress()) {
        errs.invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
      }
      if (a.isMCLinkLocal()) {
        errs.invalid(p, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
      }
    } catch (java.net.UnknownHostException e) {
      errs.invalid(p, ip, "must be a valid IP address");
    }
  }

  /** An IPv4 dotted quad or an IPv6 literal, never a host name. */
  static boolean isIP(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    var m = IPV4.matcher(s);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
    if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(s);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static boolean isCIDR(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    if (!isIP(ip)) {
      return false;
    }
    try {
      int bits = Integer.parseInt(s.substring(slash + 1));
      return bits >= 0 && bits <= (ip.contains(":") ? 128 : 32);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- ResourceQuota, LimitRange, PodTemplate

  private static final Set<String> QUOTA_RESOURCES = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
      "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu", "memory",
      "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu",
      "limits.memory", "limits.ephemeral-storage");
  private static final List<String> QUOTA_SCOPES =
      List.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity",
          "VolumeAttributesClass");

  static Errs validateResourceQuota(ResourceQuota rq) {
    Errs errs = ObjectMetaValidation.validate(rq.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    if (rq.getSpec() != null) {
      quotaList(errs, rq.getSpec().getHard(), FieldPath.root("spec", "hard"));
      FieldPath sp = FieldPath.root("spec", "scopes");
      Set<String> scopes = new HashSet<>();
      for (String scope : list(rq.getSpec().getScopes())) {
        if (!QUOTA_SCOPES.contains(scope)) {
          errs.invalid(sp, GoValue.stringSlice(rq.getSpec().getScopes()), "unsupported scope");
        }
        scopes.add(scope);
      }
      if ((scopes.contains("BestEffort") && scopes.contains("NotBestEffort"))
          || (scopes.contains("Terminating") && scopes.contains("NotTerminating"))) {
        errs.invalid(sp, GoValue.stringSlice(rq.getSpec().getScopes()), "conflicting scopes");
      }
    }
    if (rq.getStatus() != null) {
      quotaList(errs, rq.getStatus().getHard(), FieldPath.root("status", "hard"));
      quotaList(errs, rq.getStatus().getUsed(), FieldPath.root("status", "used"));
    }
    return errs;
  }

  private static void quotaList(Errs errs, Map<String, Quantity> list, FieldPath p) {
    for (Map.Entry<String, Quantity> e : sorted(list).entrySet()) {
      FieldPath rp = p.key(e.getKey());
      if (PodValidation.resourceName(errs, e.getKey(), rp) && !e.getKey().contains("/") && !QUOTA_RESOURCES.contains(e.getKey())
          && !e.getKey().startsWith("requests.hugepages-") && !e.getKey().startsWith("count/")) {
        errs.invalid(rp, GoValue.raw(e.getKey()), "must be a standard resource for quota");
      }
      PodValidation.quantityValue(errs, e.getKey(), e.getValue(), rp);
    }
  }

  static Errs validateResourceQuotaUpdate(ResourceQuota rq, ResourceQuota old) {
    Errs errs = ObjectMetaValidation.validateUpdate(rq.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    errs.addAll(validateResourceQuota(rq));
    Set<String> ns = new HashSet<>(rq.getSpec() == null ? List.of() : list(rq.getSpec().getScopes()));
    Set<String> os = new HashSet<>(old.getSpec() == null ? List.of() : list(old.getSpec().getScopes()));
    if (!ns.equals(os)) {
      errs.invalid(FieldPath.root("spec", "scopes"), GoValue.stringSlice(rq.getSpec() == null ? null : rq.getSpec().getScopes()),
          "field is immutable");
    }
    return errs;
  }

  static Errs validateLimitRange(LimitRange lr) {
    Errs errs = ObjectMetaValidation.validate(lr.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    if (lr.getSpec() == null) {
      return errs;
    }
    Set<String> types = new HashSet<>();
    List<LimitRangeItem> items = list(lr.getSpec().getLimits());
    for (int i = 0; i < items.size(); i++) {
      LimitRangeItem item = items.get(i);
      FieldPath ip = FieldPath.root("spec", "limits").index(i);
      String type = str(item.getType());
      List<String> msgs = NameValidation.isQualifiedName(type);
      if (!msgs.isEmpty()) {
        errs.invalidEach(ip.child("type"), GoValue.raw(type), msgs);
      } else if (!type.contains("/") && !List.of("Pod", "Container", "PersistentVolumeClaim").contains(type)) {
        errs.invalid(ip.child("type"), GoValue.raw(type), "must be a standard limit type or fully qualified");
      }
      if (!types.add(type)) {
        errs.duplicate(ip.child("type"), GoValue.raw(type));
      }
      Map<String, Quantities.Parsed> min = limitMap(errs, item.getMin(), ip.child("min"));
      Map<String, Quantities.Parsed> max = limitMap(errs, item.getMax(), ip.child("max"));
      Map<String, Quantities.Parsed> def = Map.of();
      Map<String, Quantities.Parsed> defReq = Map.of();
      if (type.equals("Pod")) {
        if (!map(item.getDefault()).isEmpty()) {
          errs.forbidden(ip.child("default"), "may not be specified when `type` is 'Pod'");
        }
        if (!map(item.getDefaultRequest()).isEmpty()) {
          errs.forbidden(ip.child("defaultRequest"), "may not be specified when `type` is 'Pod'");
        }
      } else {
        def = limitMap(errs, item.getDefault(), ip.child("default"));
        defReq = limitMap(errs, item.getDefaultRequest(), ip.child("defaultRequest"));
      }
      if (type.equals("PersistentVolumeClaim") && !min.containsKey("storage") && !max.containsKey("storage")) {
        errs.required(ip.child("limits"), "either minimum or maximum storage value is required, but neither was provided");
      }
      Set<String> keys = new java.util.TreeSet<>();
      keys.addAll(min.keySet());
      keys.addAll(max.keySet());
      keys.addAll(def.keySet());
      keys.addAll(defReq.keySet());
      for (String k : keys) {
        var mn = min.get(k);
        var mx = max.get(k);
        var d = def.get(k);
        var dr = defReq.get(k);
        if (mn != null && mx != null && mn.compareTo(mx) > 0) {
          errs.invalid(ip.child("min").key(k), GoValue.raw(mn.canonical()),
              "min value " + mn.canonical() + " is greater than max value " + mx.canonical());
        }
        if (dr != null && mn != null && mn.compareTo(dr) > 0) {
          errs.invalid(ip.child("defaultRequest").key(k), GoValue.raw(dr.canonical()),
              "min value " + mn.canonical() + " is greater than default request value " + dr.canonical());
        }
        if (dr != null && mx != null && dr.compareTo(mx) > 0) {
          errs.invalid(ip.child("defaultRequest").key(k), GoValue.raw(dr.canonical()),
              "default request value " + dr.canonical() + " is greater than max value " + mx.canonical());
        }
        if (dr != null && d != null && dr.compareTo(d) > 0) {
          errs.invalid(ip.child("defaultRequest").key(k), GoValue.raw(dr.canonical()),
              "default request value " + dr.canonical() + " is greater than default limit value " + d.canonical());
        }
        if (d != null && mn != null && mn.compareTo(d) > 0) {
          errs.invalid(ip.child("default").key(k), GoValue.raw(mn.canonical()),
              "min value " + mn.canonical() + " is greater than default value " + d.canonical());
        }
        if (d != null && mx != null && d.compareTo(mx) > 0) {
          errs.invalid(ip.child("default").key(k), GoValue.raw(mx.canonical()),
              "default value " + d.canonical() + " is greater than max value " + mx.canonical());
        }
      }
    }
    return errs;
  }

  private static Map<String, Quantities.Parsed> limitMap(Errs errs, Map<String, Quantity> m, FieldPath p) {
    Map<String, Quantities.Parsed> out = new HashMap<>();
    for (Map.Entry<String, Quantity> e : sorted(m).entrySet()) {
      try {
        out.put(e.getKey(), Quantities.parse(e.getValue()));
      } catch (Quantities.QuantityException ex) {
        errs.invalid(p.key(e.getKey()), Quantities.text(e.getValue()), ex.getMessage());
      }
    }
    return out;
  }

  static Errs validatePodTemplate(PodTemplate pt) {
    Errs errs = ObjectMetaValidation.validate(pt.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    if (pt.getTemplate() == null) {
      pt.setTemplate(new io.fabric8.kubernetes.api.model.PodTemplateSpec());
    }
    return errs.addAll(PodValidation.validatePodTemplateSpec(pt.getTemplate(), FieldPath.root("template")));
  }

  static String resourceListText(Map<String, Quantity> m) {
    StringBuilder sb = new StringBuilder("core.ResourceList{");
    boolean first = true;
    for (Map.Entry<String, Quantity> e : sorted(m).entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(GoValue.quote(e.getKey())).append(':').append(GoValue.quote(Quantities.canonical(e.getValue())));
    }
    return sb.append('}').toString();
  }
}
