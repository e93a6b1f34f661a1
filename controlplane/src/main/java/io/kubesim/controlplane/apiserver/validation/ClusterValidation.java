package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.bool;
import static io.kubesim.controlplane.apiserver.validation.Util.empty;
import static io.kubesim.controlplane.apiserver.validation.Util.list;
import static io.kubesim.controlplane.apiserver.validation.Util.num;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validation of the kinds outside core, apps and batch: coordination (Lease), networking (Ingress,
 * IngressClass), policy (PodDisruptionBudget), scheduling (PriorityClass), storage (StorageClass),
 * discovery (EndpointSlice) and events.k8s.io Events.
 */
final class ClusterValidation {

  static final int HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
  private static final Map<String, Integer> SYSTEM_PRIORITY_CLASSES =
      Map.of("system-node-critical", 2_000_001_000, "system-cluster-critical", 2_000_000_000);

  private ClusterValidation() {}

  private static Errs namespaced(io.fabric8.kubernetes.api.model.ObjectMeta m) {
    return ObjectMetaValidation.validate(m, true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
  }

  private static Errs cluster(io.fabric8.kubernetes.api.model.ObjectMeta m) {
    return ObjectMetaValidation.validate(m, false, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
  }

  private static Errs metaUpdate(io.fabric8.kubernetes.api.model.ObjectMeta n, io.fabric8.kubernetes.api.model.ObjectMeta o) {
    return ObjectMetaValidation.validateUpdate(n, o, FieldPath.root("metadata"));
  }

  // ---------------------------------------------------------------- Lease

  static Errs validateLease(Lease lease) {
    return validateLeaseSpec(namespaced(lease.getMetadata()), lease);
  }

  /**
   * ValidateLeaseUpdate: the metadata update rules and the spec; the name and namespace, immutable,
   * are not validated again (coordination/validation/validation.go).
   */
  static Errs validateLeaseUpdate(Lease lease, Lease old) {
    return validateLeaseSpec(metaUpdate(lease.getMetadata(), old.getMetadata()), lease);
  }

  /** ValidateLeaseSpec, adding to {@code errs}. */
  private static Errs validateLeaseSpec(Errs errs, Lease lease) {
    var spec = lease.getSpec();
    if (spec != null) {
      FieldPath p = FieldPath.root("spec");
      if (spec.getLeaseDurationSeconds() != null && spec.getLeaseDurationSeconds() <= 0) {
        errs.invalid(p.child("leaseDurationSeconds"), spec.getLeaseDurationSeconds(), "must be greater than 0");
      }
      if (spec.getLeaseTransitions() != null && spec.getLeaseTransitions() < 0) {
        errs.invalid(p.child("leaseTransitions"), spec.getLeaseTransitions(), "must be greater than or equal to 0");
      }
      if (spec.getStrategy() != null && !spec.getStrategy().equals("OldestEmulationVersion")) {
        errs.notSupported(p.child("strategy"), spec.getStrategy(), List.of("OldestEmulationVersion"));
      }
      if (!empty(spec.getPreferredHolder()) && empty(spec.getStrategy())) {
        errs.forbidden(p.child("preferredHolder"), "may only be specified if `strategy` is defined");
      }
    }
    return errs;
  }

  // ---------------------------------------------------------------- Ingress, IngressClass

  static Errs validateIngress(Ingress ing) {
    return namespaced(ing.getMetadata()).addAll(validateIngressSpec(ing));
  }

  static Errs validateIngressSpec(Ingress ing) {
    Errs errs = new Errs();
    IngressSpec spec = ing.getSpec() == null ? new IngressSpec() : ing.getSpec();
    FieldPath p = FieldPath.root("spec");
    List<IngressRule> rules = list(spec.getRules());
    if (spec.getDefaultBackend() != null) {
      backend(errs, spec.getDefaultBackend(), p.child("defaultBackend"));
    } else if (rules.isEmpty()) {
      errs.invalid(p.child("rules"), GoValue.raw("[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified");
    }
    for (int i = 0; i < rules.size(); i++) {
      IngressRule r = rules.get(i);
      FieldPath rp = p.child("rules").index(i);
      String host = str(r.getHost());
      if (!host.isEmpty()) {
        if (CoreValidation.isIP(host)) {
          errs.invalid(rp.child("host"), host, "must be a DNS name, not an IP address");
        }
        if (host.contains("*")) {
          errs.invalidEach(rp.child("host"), host, NameValidation.isWildcardDns1123Subdomain(host));
        } else {
          errs.invalidEach(rp.child("host"), host, NameValidation.isDns1123Subdomain(host));
        }
      }
      if (r.getHttp() != null) {
        FieldPath hp = rp.child("http");
        List<HTTPIngressPath> paths = list(r.getHttp().getPaths());
        if (paths.isEmpty()) {
          errs.required(hp.child("paths"), "");
        }
        for (int j = 0; j < paths.size(); j++) {
          httpPath(errs, paths.get(j), hp.child("paths").index(j));
        }
      }
    }
    var tls = list(spec.getTls());
    for (int i = 0; i < tls.size(); i++) {
      var hosts = list(tls.get(i).getHosts());
      for (int j = 0; j < hosts.size(); j++) {
        String h = hosts.get(j);
        FieldPath hp = p.child("tls").index(i).child("hosts").index(j);
        if (h.contains("*")) {
          errs.invalidEach(hp, h, NameValidation.isWildcardDns1123Subdomain(h));
        } else {
          errs.invalidEach(hp, h, NameValidation.isDns1123Subdomain(h));
        }
      }
    }
    if (spec.getIngressClassName() != null) {
      errs.invalidEach(p.child("ingressClassName"), spec.getIngressClassName(),
          NameValidation.nameIsDnsSubdomain(spec.getIngressClassName(), false));
    }
    return errs;
  }

  private static void httpPath(Errs errs, HTTPIngressPath path, FieldPath p) {
    String pt = path.getPathType();
    String value = str(path.getPath());
    if (pt == null) {
      errs.required(p.child("pathType"), "pathType must be specified");
    } else {
      switch (pt) {
        case "Exact", "Prefix" -> {
          if (!value.startsWith("/")) {
            errs.invalid(p.child("path"), value, "must be an absolute path");
          }
          if (!value.isEmpty()) {
            for (String bad : List.of("//", "/./", "/../", "%2f", "%2F")) {
              if (value.contains(bad)) {
                errs.invalid(p.child("path"), value, "must not contain '" + bad + "'");
              }
            }
            for (String bad : List.of("/..", "/.")) {
              if (value.endsWith(bad)) {
                errs.invalid(p.child("path"), value, "cannot end with '" + bad + "'");
              }
            }
          }
        }
        case "ImplementationSpecific" -> {
          if (!value.isEmpty() && !value.startsWith("/")) {
            errs.invalid(p.child("path"), value, "must be an absolute path");
          }
        }
        default -> errs.notSupported(p.child("pathType"), pt, List.of("Exact", "ImplementationSpecific", "Prefix"));
      }
    }
    backend(errs, path.getBackend() == null ? new IngressBackend() : path.getBackend(), p.child("backend"));
  }

  private static void backend(Errs errs, IngressBackend b, FieldPath p) {
    boolean hasResource = b.getResource() != null;
    boolean hasService = b.getService() != null;
    if (hasResource && hasService) {
      errs.invalid(p, "", "cannot set both resource and service backends");
      return;
    }
    if (hasResource) {
      TypedLocalObjectReference r = b.getResource();
      FieldPath rp = p.child("resource");
      if (empty(r.getKind())) {
        errs.required(rp.child("kind"), "");
      }
      if (empty(r.getName())) {
        errs.required(rp.child("name"), "");
      }
      if (r.getApiGroup() != null) {
        errs.invalidEach(rp.child("apiGroup"), r.getApiGroup(), NameValidation.isDns1123Subdomain(r.getApiGroup()));
      }
    } else if (hasService) {
      var s = b.getService();
      FieldPath sp = p.child("service");
      if (empty(s.getName())) {
        errs.required(sp.child("name"), "");
      } else {
        errs.invalidEach(sp.child("name"), s.getName(), NameValidation.nameIsDns1035Label(s.getName(), false));
      }
      String portName = s.getPort() == null ? "" : str(s.getPort().getName());
      long portNumber = s.getPort() == null ? 0 : num(s.getPort().getNumber());
      if (!portName.isEmpty() && portNumber != 0) {
        errs.invalid(p, "", "cannot set both port name & port number");
      } else if (!portName.isEmpty()) {
        errs.invalidEach(sp.child("port", "name"), portName, NameValidation.isValidPortName(portName));
      } else if (portNumber != 0) {
        errs.invalidEach(sp.child("port", "number"), (int) portNumber, NameValidation.isValidPortNum(portNumber));
      } else {
        errs.required(p, "port name or number is required");
      }
    } else {
      errs.invalid(p, "", "resource or service backend is required");
    }
  }

  static Errs validateIngressClass(IngressClass ic) {
    Errs errs = cluster(ic.getMetadata());
    FieldPath p = FieldPath.root("spec", "controller");
    String controller = ic.getSpec() == null ? "" : str(ic.getSpec().getController());
    if (controller.isEmpty()) {
      errs.required(p, "");
    } else {
      String[] parts = controller.split("/", 2);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        errs.invalid(p, controller, "must be a domain-prefixed path (such as \"acme.io/foo\")");
      } else {
        errs.invalidEach(p, parts[0], NameValidation.isDns1123Subdomain(parts[0]));
        if (!parts[1].matches("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")) {
          errs.invalid(p, parts[1], NameValidation.regexError("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"));
        }
      }
      if (controller.length() > 250) {
        errs.tooLong(p, 250);
      }
    }
    return errs;
  }

  static Errs validateIngressClassUpdate(IngressClass ic, IngressClass old) {
    Errs errs = metaUpdate(ic.getMetadata(), old.getMetadata());
    String n = ic.getSpec() == null ? "" : str(ic.getSpec().getController());
    String o = old.getSpec() == null ? "" : str(old.getSpec().getController());
    errs.immutable(n.equals(o), n, FieldPath.root("spec", "controller"));
    return errs.addAll(validateIngressClass(ic));
  }

  // ---------------------------------------------------------------- PodDisruptionBudget

  static Errs validatePodDisruptionBudget(PodDisruptionBudget pdb) {
    return namespaced(pdb.getMetadata()).addAll(validatePodDisruptionBudgetSpec(pdb));
  }

  static Errs validatePodDisruptionBudgetSpec(PodDisruptionBudget pdb) {
    Errs errs = new Errs();
    PodDisruptionBudgetSpec spec = pdb.getSpec() == null ? new PodDisruptionBudgetSpec() : pdb.getSpec();
    FieldPath p = FieldPath.root("spec");
    if (spec.getMinAvailable() != null && spec.getMaxUnavailable() != null) {
      errs.invalid(p, GoValue.raw("policy.PodDisruptionBudgetSpec{MinAvailable:" + GoValue.intOrString(spec.getMinAvailable())
          + ", MaxUnavailable:" + GoValue.intOrString(spec.getMaxUnavailable()) + "}"), "minAvailable and maxUnavailable cannot be both set");
    }
    if (spec.getMinAvailable() != null) {
      AppsValidation.positiveIntOrPercent(errs, spec.getMinAvailable(), p.child("minAvailable"));
      AppsValidation.notMoreThan100Percent(errs, spec.getMinAvailable(), p.child("minAvailable"));
    }
    if (spec.getMaxUnavailable() != null) {
      AppsValidation.positiveIntOrPercent(errs, spec.getMaxUnavailable(), p.child("maxUnavailable"));
      AppsValidation.notMoreThan100Percent(errs, spec.getMaxUnavailable(), p.child("maxUnavailable"));
    }
    ObjectMetaValidation.validateLabelSelector(errs, spec.getSelector(), p.child("selector"));
    if (spec.getUnhealthyPodEvictionPolicy() != null
        && !List.of("AlwaysAllow", "IfHealthyBudget").contains(spec.getUnhealthyPodEvictionPolicy())) {
      errs.notSupported(p.child("unhealthyPodEvictionPolicy"), spec.getUnhealthyPodEvictionPolicy(), List.of("AlwaysAllow", "IfHealthyBudget"));
    }
    return errs;
  }

  // ---------------------------------------------------------------- PriorityClass

  static Errs validatePriorityClass(PriorityClass pc) {
    Errs errs = cluster(pc.getMetadata());
    String name = pc.getMetadata() == null ? "" : str(pc.getMetadata().getName());
    long value = num(pc.getValue());
    if (name.startsWith("system-")) {
      Integer known = SYSTEM_PRIORITY_CLASSES.get(name);
      String err = null;
      if (known == null) {
        err = name + " is not a known system priority class";
      } else if (known != value) {
        err = "value of " + name + " PriorityClass must be " + known;
      } else if (bool(pc.getGlobalDefault())) {
        err = "globalDefault of " + name + " PriorityClass must be false";
      }
      if (err != null) {
        errs.forbidden(FieldPath.root("metadata", "name"),
            "priority class names with 'system-' prefix are reserved for system use only. error: " + err);
      }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.forbidden(FieldPath.root("value"), "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE_PRIORITY);
    }
    if (pc.getPreemptionPolicy() != null) {
      PodValidation.validatePreemptionPolicy(errs, pc.getPreemptionPolicy(), FieldPath.root("preemptionPolicy"));
    }
    return errs;
  }

  static Errs validatePriorityClassUpdate(PriorityClass pc, PriorityClass old) {
    Errs errs = metaUpdate(pc.getMetadata(), old.getMetadata());
    if (!Objects.equals(pc.getValue(), old.getValue())) {
      errs.forbidden(FieldPath.root("value"), "may not be changed in an update.");
    }
    errs.immutable(Objects.equals(pc.getPreemptionPolicy(), old.getPreemptionPolicy()),
        pc.getPreemptionPolicy() == null ? GoValue.raw("null") : pc.getPreemptionPolicy(), FieldPath.root("preemptionPolicy"));
    return errs;
  }

  // ---------------------------------------------------------------- StorageClass

  static Errs validateStorageClass(StorageClass sc) {
    Errs errs = cluster(sc.getMetadata());
    String provisioner = str(sc.getProvisioner());
    if (provisioner.isEmpty()) {
      errs.required(FieldPath.root("provisioner"), "");
    } else {
      errs.invalidEach(FieldPath.root("provisioner"), provisioner.toLowerCase(Locale.ROOT),
          NameValidation.isQualifiedName(provisioner.toLowerCase(Locale.ROOT)));
    }
    long total = 0;
    for (Map.Entry<String, String> e : Util.sorted(sc.getParameters()).entrySet()) {
      if (e.getKey().isEmpty()) {
        errs.invalid(FieldPath.root("parameters"), e.getKey(), "field can not be empty.");
      }
      total += e.getKey().length() + str(e.getValue()).length();
    }
    if (total > 256 * 1024) {
      errs.tooLong(FieldPath.root("parameters"), 256 * 1024);
    }
    if (sc.getReclaimPolicy() != null && !List.of("Delete", "Retain").contains(sc.getReclaimPolicy())) {
      errs.notSupported(FieldPath.root("reclaimPolicy"), sc.getReclaimPolicy(), List.of("Delete", "Retain"));
    }
    if (sc.getVolumeBindingMode() == null) {
      errs.required(FieldPath.root("volumeBindingMode"), "");
    } else if (!List.of("Immediate", "WaitForFirstConsumer").contains(sc.getVolumeBindingMode())) {
      errs.notSupported(FieldPath.root("volumeBindingMode"), sc.getVolumeBindingMode(), List.of("Immediate", "WaitForFirstConsumer"));
    }
    return errs;
  }

  static Errs validateStorageClassUpdate(StorageClass sc, StorageClass old) {
    Errs errs = metaUpdate(sc.getMetadata(), old.getMetadata());
    if (!Objects.equals(Util.map(sc.getParameters()), Util.map(old.getParameters()))) {
      errs.forbidden(FieldPath.root("parameters"), "updates to parameters are forbidden.");
    }
    if (!str(sc.getProvisioner()).equals(str(old.getProvisioner()))) {
      errs.forbidden(FieldPath.root("provisioner"), "updates to provisioner are forbidden.");
    }
    if (!Objects.equals(sc.getReclaimPolicy(), old.getReclaimPolicy())) {
      errs.forbidden(FieldPath.root("reclaimPolicy"), "updates to reclaimPolicy are forbidden.");
    }
    errs.immutable(Objects.equals(sc.getVolumeBindingMode(), old.getVolumeBindingMode()),
        sc.getVolumeBindingMode() == null ? GoValue.raw("null") : sc.getVolumeBindingMode(), FieldPath.root("volumeBindingMode"));
    return errs.addAll(validateStorageClass(sc));
  }

  // ---------------------------------------------------------------- EndpointSlice

  static Errs validateEndpointSlice(EndpointSlice es) {
    Errs errs = namespaced(es.getMetadata());
    String addressType = str(es.getAddressType());
    if (addressType.isEmpty()) {
      errs.required(FieldPath.root("addressType"), "");
    } else if (!List.of("FQDN", "IPv4", "IPv6").contains(addressType)) {
      errs.notSupported(FieldPath.root("addressType"), addressType, List.of("FQDN", "IPv4", "IPv6"));
    }
    List<Endpoint> eps = list(es.getEndpoints());
    if (eps.size() > 1000) {
      errs.tooMany(FieldPath.root("endpoints"), eps.size(), 1000);
    }
    for (int i = 0; i < eps.size(); i++) {
      Endpoint ep = eps.get(i);
      FieldPath ip = FieldPath.root("endpoints").index(i);
      FieldPath ap = ip.child("addresses");
      List<String> addrs = list(ep.getAddresses());
      if (addrs.isEmpty()) {
        errs.required(ap, "must contain at least 1 address");
      } else if (addrs.size() > 100) {
        errs.tooMany(ap, addrs.size(), 100);
      }
      for (int j = 0; j < addrs.size(); j++) {
        String a = addrs.get(j);
        switch (addressType) {
          case "IPv4" -> {
            if (!CoreValidation.isIP(a) || a.contains(":")) {
              errs.invalid(ap.index(j), a, "must be a valid IPv4 address");
            } else {
              CoreValidation.nonSpecialIp(errs, a, ap.index(j));
            }
          }
          case "IPv6" -> {
            if (!CoreValidation.isIP(a) || !a.contains(":")) {
              errs.invalid(ap.index(j), a, "must be a valid IPv6 address");
            } else {
              CoreValidation.nonSpecialIp(errs, a, ap.index(j));
            }
          }
          case "FQDN" -> {
            String name = a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
            List<String> msgs = NameValidation.isDns1123Subdomain(name);
            if (!msgs.isEmpty()) {
              errs.invalid(ap.index(j), name, String.join(",", msgs));
            } else if (name.split("\\.").length < 2) {
              errs.invalid(ap.index(j), name, "should be a domain with at least two segments separated by dots");
            }
          }
          default -> { }
        }
      }
      if (ep.getNodeName() != null) {
        errs.invalidEach(ip.child("nodeName"), ep.getNodeName(), NameValidation.nameIsDnsSubdomain(ep.getNodeName(), false));
      }
      if (ep.getHostname() != null) {
        errs.invalidEach(ip.child("hostname"), ep.getHostname(), NameValidation.isDns1123Label(ep.getHostname()));
      }
    }
    List<EndpointPort> ports = list(es.getPorts());
    if (ports.size() > 100) {
      errs.tooMany(FieldPath.root("ports"), ports.size(), 100);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      EndpointPort port = ports.get(i);
      FieldPath pp = FieldPath.root("ports").index(i);
      String name = str(port.getName());
      if (!name.isEmpty()) {
        errs.invalidEach(pp.child("name"), name, NameValidation.isDns1123Label(name));
      }
      if (!names.add(name)) {
        errs.duplicate(pp.child("name"), name);
      }
      if (port.getProtocol() == null) {
        errs.required(pp.child("protocol"), "");
      } else if (!PodValidation.PROTOCOLS.contains(port.getProtocol())) {
        errs.notSupported(pp.child("protocol"), port.getProtocol(), PodValidation.PROTOCOLS);
      }
      if (port.getAppProtocol() != null) {
        errs.invalidEach(pp.child("appProtocol"), port.getAppProtocol(), NameValidation.isQualifiedName(port.getAppProtocol()));
      }
    }
    return errs;
  }

  static Errs validateEndpointSliceUpdate(EndpointSlice es, EndpointSlice old) {
    Errs errs = metaUpdate(es.getMetadata(), old.getMetadata());
    errs.addAll(validateEndpointSlice(es));
    errs.immutable(str(es.getAddressType()).equals(str(old.getAddressType())), str(es.getAddressType()), FieldPath.root("addressType"));
    return errs;
  }

  // ---------------------------------------------------------------- events.k8s.io/v1 Event

  static Errs validateEventsV1(io.fabric8.kubernetes.api.model.events.v1.Event e) {
    String ns = e.getMetadata() == null ? "" : str(e.getMetadata().getNamespace());
    String eventTime = e.getEventTime() == null ? null : e.getEventTime().getTime();
    Errs errs = CoreValidation.legacyEvent(ns, e.getRegarding(), eventTime, e.getReportingController(), e.getReportingInstance(),
        e.getAction(), e.getReason(), e.getNote());
    errs.addAll(namespaced(e.getMetadata()));
    series(errs, e);
    if (empty(eventTime)) {
      errs.required(FieldPath.root("eventTime"), "");
    }
    if (!"Normal".equals(e.getType()) && !"Warning".equals(e.getType())) {
      errs.invalid(FieldPath.root("type"), "", "has invalid value: " + str(e.getType()));
    }
    if (!empty(e.getDeprecatedFirstTimestamp())) {
      errs.invalid(FieldPath.root("firstTimestamp"), "", "needs to be unset");
    }
    if (!empty(e.getDeprecatedLastTimestamp())) {
      errs.invalid(FieldPath.root("lastTimestamp"), "", "needs to be unset");
    }
    if (num(e.getDeprecatedCount()) != 0) {
      errs.invalid(FieldPath.root("count"), "", "needs to be unset");
    }
    if (e.getDeprecatedSource() != null && (!empty(e.getDeprecatedSource().getComponent()) || !empty(e.getDeprecatedSource().getHost()))) {
      errs.invalid(FieldPath.root("source"), "", "needs to be unset");
    }
    return errs;
  }

  private static void series(Errs errs, io.fabric8.kubernetes.api.model.events.v1.Event e) {
    if (e.getSeries() != null) {
      if (num(e.getSeries().getCount()) < 2) {
        errs.invalid(FieldPath.root("series.count"), "", "should be at least 2");
      }
      if (e.getSeries().getLastObservedTime() == null || empty(e.getSeries().getLastObservedTime().getTime())) {
        errs.required(FieldPath.root("series.lastObservedTime"), "");
      }
    }
  }

  static Errs validateEventsV1Update(io.fabric8.kubernetes.api.model.events.v1.Event e, io.fabric8.kubernetes.api.model.events.v1.Event o) {
    String ns = e.getMetadata() == null ? "" : str(e.getMetadata().getNamespace());
    String eventTime = e.getEventTime() == null ? null : e.getEventTime().getTime();
    Errs errs = CoreValidation.legacyEvent(ns, e.getRegarding(), eventTime, e.getReportingController(), e.getReportingInstance(),
        e.getAction(), e.getReason(), e.getNote());
    errs.addAll(metaUpdate(e.getMetadata(), o.getMetadata()));
    if (!Util.jsonEqual(e.getSeries(), o.getSeries())) {
      series(errs, e);
    }
    immutable(errs, e.getRegarding(), o.getRegarding(), "involvedObject");
    immutable(errs, e.getReason(), o.getReason(), "reason");
    immutable(errs, e.getNote(), o.getNote(), "message");
    immutable(errs, e.getDeprecatedSource(), o.getDeprecatedSource(), "source");
    immutable(errs, e.getDeprecatedFirstTimestamp(), o.getDeprecatedFirstTimestamp(), "firstTimestamp");
    immutable(errs, e.getDeprecatedLastTimestamp(), o.getDeprecatedLastTimestamp(), "lastTimestamp");
    immutable(errs, e.getDeprecatedCount(), o.getDeprecatedCount(), "count");
    immutable(errs, e.getType(), o.getType(), "type");
    immutable(errs, e.getEventTime(), o.getEventTime(), "eventTime");
    immutable(errs, e.getAction(), o.getAction(), "action");
    immutable(errs, e.getRelated(), o.getRelated(), "related");
    immutable(errs, e.getReportingController(), o.getReportingController(), "reportingController");
    immutable(errs, e.getReportingInstance(), o.getReportingInstance(), "reportingInstance");
    return errs;
  }

  private static void immutable(Errs errs, Object n, Object o, String field) {
    boolean equal = n instanceof String || o instanceof String || n instanceof Integer || o instanceof Integer
        ? Objects.equals(n, o) : Util.jsonEqual(n, o);
    Object shown = n == null ? GoValue.raw("null") : n instanceof String || n instanceof Integer ? n : GoValue.raw(String.valueOf(n));
    errs.immutable(equal, shown, FieldPath.root(field));
  }
}
