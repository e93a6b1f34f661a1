package io.kubesim.controlplane.http;

import akka.http.javadsl.model.HttpResponse;
import akka.stream.Materializer;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.zjsonpatch.JsonPatch;
import io.kubesim.controlplane.apiserver.patch.MergePatch;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.api.selector.FieldSelector;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource endpoints ({@code /api/v1/...}, {@code /apis/<g>/<v>/...}): CRUD, list, watch and
 * the subresources, each mapped onto one request of the apiserver's protocol. The apiserver
 * already implements the semantics (selectors, paging, resourceVersion rules, patches,
 * validation); this class only translates HTTP into requests and answers into responses, with
 * kube-apiserver's error wording for what goes wrong before a request reaches it.
 */
final class ResourceApi {

  /** One parsed resource request. */
  record Target(ResourceType type, String namespace, String name, String subresource) {}

  private final SimulationLink link;
  private final Materializer mat;
  private final HttpSettings settings;

  ResourceApi(SimulationLink link, Materializer mat, HttpSettings settings) {
    this.link = link;
    this.mat = mat;
    this.settings = settings;
  }

  /** Parses the path after the group version ("namespaces/ns/pods/x/status"); null when kubesim serves no such resource. */
  static Target parse(String group, String version, List<String> rest) {
    if (rest.isEmpty()) {
      return null;
    }
    String ns = null;
    List<String> r = rest;
    if (group.isEmpty() && r.get(0).equals("namespaces") && r.size() >= 3
        && !(r.size() == 3 && (r.get(2).equals("status") || r.get(2).equals("finalize")))) {
      ns = r.get(1);
      r = r.subList(2, r.size());
    } else if (!group.isEmpty() && r.get(0).equals("namespaces") && r.size() >= 3) {
      ns = r.get(1);
      r = r.subList(2, r.size());
    }
    if (r.size() > 3) {
      return null;
    }
    ResourceType type = Resources.byPlural(group, r.get(0)).orElse(null);
    if (type == null || !type.version().equals(version)) {
      return null;
    }
    if (ns != null && !type.namespaced()) {
      return null;
    }
    String name = r.size() > 1 ? r.get(1) : null;
    String sub = r.size() > 2 ? r.get(2) : null;
    if (sub != null && !type.subresources().contains(sub)) {
      return null;
    }
    return new Target(type, ns, name, sub);
  }

  /** path.IsValidPathSegmentName: a name in a URL may not be "." or ".." nor contain "/" or "%". */
  static void checkPathSegment(String what, String name) {
    if (name == null) {
      return;
    }
    String err = null;
    if (name.equals(".") || name.equals("..")) {
      err = "may not be '" + name + "'";
    } else if (name.contains("/")) {
      err = "may not contain '/'";
    } else if (name.contains("%")) {
      err = "may not contain '%'";
    }
    if (err != null) {
      throw new StatusException(ApiErrors.badRequest("invalid " + what + " name \"" + name + "\": [" + err + "]"));
    }
  }

  /**
   * The deprecation warning kube-apiserver adds to every response of a deprecated kind's
   * endpoints: "GROUPVERSION KIND is deprecated in vX.Y+; use GROUPVERSION KIND" (message built
   * in staging/src/k8s.io/apiserver/pkg/endpoints/deprecation/deprecation.go from the type's
   * prerelease-lifecycle tags; core/v1 Endpoints is deprecated in 1.33 for EndpointSlice, KEP-4974).
   */
  static List<String> deprecationWarnings(ResourceType type) {
    return type == Resources.ENDPOINTS ? List.of("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 "
        + "EndpointSlice") : List.of();
  }

  CompletionStage<HttpResponse> handle(akka.http.javadsl.model.HttpRequest request, String method, Target t, Query q,
      Negotiation neg, String contentType, byte[] body) {
    List<String> warnings = deprecationWarnings(t.type());
    CompletionStage<HttpResponse> response = dispatch(request, method, t, q, neg, contentType, body);
    return warnings.isEmpty() ? response : response.thenApply(r -> Render.warn(r, warnings));
  }

  private CompletionStage<HttpResponse> dispatch(akka.http.javadsl.model.HttpRequest request, String method, Target t,
      Query q, Negotiation neg, String contentType, byte[] body) {
    checkPathSegment("resource", t.name());
    checkPathSegment("namespace", t.namespace());
    if (t.subresource() != null) {
      return subresource(method, t, q, neg, contentType, body);
    }
    if (t.name() == null) {
      if (t.type().namespaced() && t.namespace() == null && !method.equals("GET")) {
        throw notFound();
      }
      return switch (method) {
        case "GET" -> q.bool("watch") ? watch(request, t, q, neg) : list(t, q, neg);
        case "POST" -> create(t, q, contentType, body);
        case "DELETE" -> deleteCollection(t, q, contentType, body);
        default -> throw methodNotAllowed();
      };
    }
    if (t.type().namespaced() && t.namespace() == null) {
      throw notFound();
    }
    return switch (method) {
      case "GET" -> get(t, q, neg);
      case "PUT" -> update(t, q, contentType, body, null);
      case "PATCH" -> patch(t, q, contentType, body, null);
      case "DELETE" -> delete(t, q, contentType, body);
      default -> throw methodNotAllowed();
    };
  }

  static StatusException notFound() {
    StatusDetails d = new StatusDetails();
    return new StatusException(ApiErrors.status(404, "NotFound", "the server could not find the requested resource",
        d));
  }

  static StatusException methodNotAllowed() {
    return new StatusException(ApiErrors.methodNotAllowed("the server does not allow this method on the requested "
        + "resource"));
  }

  // ---------------------------------------------------------------- options

  static ListOptions listOptions(Query q) {
    String labels = q.get("labelSelector");
    String fields = q.get("fieldSelector");
    try {
      LabelSelector.parse(labels);
      FieldSelector.parse(fields);
    } catch (SelectorParseException e) {
      throw new StatusException(ApiErrors.badRequest(e.getMessage()));
    }
    Long limit = q.nonNegative("limit");
    Long timeout = q.nonNegative("timeoutSeconds");
    String match = q.get("resourceVersionMatch");
    return new ListOptions(labels, fields, q.get("resourceVersion"), match == null || match.isEmpty() ? null : match,
        limit == null ? 0 : limit, q.get("continue"), q.bool("allowWatchBookmarks"), q.optionalBool("sendInitialEvents"),
        timeout);
  }

  static WriteOptions writeOptions(Query q) {
    String dryRun = q.get("dryRun");
    boolean dry = false;
    if (dryRun != null && !dryRun.isEmpty()) {
      if (!dryRun.equals("All")) {
        throw new StatusException(ApiErrors.badRequest("Invalid dry run value: dryRun: Unsupported value: \"" + dryRun
            + "\": supported values: \"All\""));
      }
      dry = true;
    }
    String manager = q.get("fieldManager");
    if (manager != null && manager.length() > 128) {
      throw new StatusException(ApiErrors.badRequest("fieldManager: Too long: may not be more than 128 bytes"));
    }
    return new WriteOptions(dry, manager, q.bool("force"));
  }

  static String fieldValidation(Query q) {
    String v = q.get("fieldValidation");
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!v.equals("Strict") && !v.equals("Warn") && !v.equals("Ignore")) {
      throw new StatusException(ApiErrors.badRequest("fieldValidation: Unsupported value: \"" + v
          + "\": supported values: \"Ignore\", \"Strict\", \"Warn\""));
    }
    return v;
  }

  static Render.Include include(Query q) {
    String v = q.get("includeObject");
    if (v == null || v.isEmpty() || v.equals("Metadata")) {
      return Render.Include.METADATA;
    }
    return switch (v) {
      case "None" -> Render.Include.NONE;
      case "Object" -> Render.Include.OBJECT;
      default -> throw new StatusException(ApiErrors.badRequest("includeObject: Unsupported value: \"" + v
          + "\": supported values: \"None\", \"Metadata\", \"Object\""));
    };
  }

  // ---------------------------------------------------------------- reads

  private CompletionStage<HttpResponse> get(Target t, Query q, Negotiation neg) {
    Render.Include include = include(q);
    return link.call((r, tag) -> new Api.Get(t.type(), t.namespace(), t.name(), r, tag)).thenApply(a -> {
      if (a.response() instanceof Api.Ok ok && neg.table()) {
        return Render.singleTable(t.type(), ok.object(), neg, include, a.now());
      }
      if (a.response() instanceof Api.Ok ok && neg.metadataOnly()) {
        return Render.json(200, Render.partial(ok.object()));
      }
      return Render.object(a.response(), List.of());
    });
  }

  private CompletionStage<HttpResponse> list(Target t, Query q, Negotiation neg) {
    ListOptions o = listOptions(q);
    Render.Include include = include(q);
    return link.call((r, tag) -> new Api.List(t.type(), t.namespace(), o, r, tag)).thenApply(a -> {
      if (a.response() instanceof Api.Listed l) {
        return Render.list(l, neg, include, a.now());
      }
      return Render.status(((Api.Failed) a.response()).status());
    });
  }

  private CompletionStage<HttpResponse> watch(akka.http.javadsl.model.HttpRequest request, Target t, Query q,
      Negotiation neg) {
    return WatchStream.open(link, settings, t.type(), t.namespace(), listOptions(q), neg, include(q),
        request.getAttribute(akka.http.javadsl.model.AttributeKeys.webSocketUpgrade).orElse(null));
  }

  // ---------------------------------------------------------------- writes

  /** EnsureObjectNamespaceMatchesRequestNamespace (k8s.io/apiserver/pkg/registry/rest). */
  private static void matchNamespace(ResourceType type, HasMetadata obj, String requestNamespace) {
    if (obj.getMetadata() == null) {
      obj.setMetadata(new ObjectMeta());
    }
    String objNs = obj.getMetadata().getNamespace();
    String reqNs = type.namespaced() ? requestNamespace : null;
    if (Objects.equals(objNs == null || objNs.isEmpty() ? null : objNs, reqNs)) {
      obj.getMetadata().setNamespace(reqNs);
      return;
    }
    if (objNs == null || objNs.isEmpty()) {
      obj.getMetadata().setNamespace(reqNs);
    } else if (reqNs == null) {
      obj.getMetadata().setNamespace(null);
    } else {
      throw new StatusException(ApiErrors.badRequest("the namespace of the provided object does not match the "
          + "namespace sent on the request"));
    }
  }

  private CompletionStage<HttpResponse> create(Target t, Query q, String contentType, byte[] body) {
    WriteOptions wo = writeOptions(q);
    List<String> warnings = new ArrayList<>();
    HasMetadata obj = Bodies.object(t.type(), contentType, body, fieldValidation(q), warnings);
    matchNamespace(t.type(), obj, t.namespace());
    return link.call((r, tag) -> new Api.Create(obj, wo, r, tag)).thenApply(a -> Render.object(a.response(),
        warnings));
  }

  private CompletionStage<HttpResponse> update(Target t, Query q, String contentType, byte[] body, String sub) {
    WriteOptions wo = writeOptions(q);
    List<String> warnings = new ArrayList<>();
    HasMetadata obj = Bodies.object(t.type(), contentType, body, fieldValidation(q), warnings);
    matchNamespace(t.type(), obj, t.namespace());
    String bodyName = obj.getMetadata().getName();
    if (!t.name().equals(bodyName)) {
      throw new StatusException(ApiErrors.badRequest("the name of the object (" + (bodyName == null ? "" : bodyName)
          + ") does not match the name on the URL (" + t.name() + ")"));
    }
    return link.call((r, tag) -> new Api.Update(obj, sub, wo, r, tag)).thenApply(a -> Render.object(a.response(),
        warnings));
  }

  static PatchType patchType(String contentType) {
    return PatchType.fromContentType(contentType).orElseThrow(() -> Bodies.unsupportedMediaType(
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
            + "application/strategic-merge-patch+json"));
  }

  private CompletionStage<HttpResponse> patch(Target t, Query q, String contentType, byte[] body, String sub) {
    PatchType pt = patchType(contentType);
    WriteOptions wo = writeOptions(q);
    if (wo.force() && pt != PatchType.APPLY_PATCH) {
      throw new StatusException(ApiErrors.status(422, "Invalid", "force: Forbidden: may not be specified for "
          + "non-apply patch", null));
    }
    fieldValidation(q);
    String text = new String(body, StandardCharsets.UTF_8);
    return link.call((r, tag) -> new Api.Patch(t.type(), t.namespace(), t.name(), sub, pt, text, wo, r, tag))
        .thenApply(a -> Render.object(a.response(), List.of()));
  }

  private static DeleteOptions deleteOptions(Query q, String contentType, byte[] body) {
    DeleteOptions o = body.length == 0 ? new DeleteOptions()
        : Bodies.auxiliary(contentType, body, DeleteOptions.class, "DeleteOptions", "v1");
    Long grace = q.integer("gracePeriodSeconds");
    if (grace != null) {
      o.setGracePeriodSeconds(grace);
    }
    String policy = q.get("propagationPolicy");
    if (policy != null && !policy.isEmpty()) {
      o.setPropagationPolicy(policy);
    }
    Boolean orphan = q.optionalBool("orphanDependents");
    if (orphan != null) {
      o.setOrphanDependents(orphan);
    }
    String dryRun = q.get("dryRun");
    if (dryRun != null && !dryRun.isEmpty()) {
      writeOptions(q);
      o.setDryRun(List.of(dryRun));
    }
    return o;
  }

  private CompletionStage<HttpResponse> delete(Target t, Query q, String contentType, byte[] body) {
    DeleteOptions o = deleteOptions(q, contentType, body);
    return link.call((r, tag) -> new Api.Delete(t.type(), t.namespace(), t.name(), o, r, tag))
        .thenApply(a -> Render.object(a.response(), List.of()));
  }

  /** DELETE on a collection: the matching objects are listed, then deleted one by one, as the registry's DeleteCollection does. */
  private CompletionStage<HttpResponse> deleteCollection(Target t, Query q, String contentType, byte[] body) {
    ListOptions lo = listOptions(q);
    DeleteOptions o = deleteOptions(q, contentType, body);
    return link.call((r, tag) -> new Api.List(t.type(), t.namespace(), lo.withLimit(0, null), r, tag))
        .thenCompose(a -> {
          if (a.response() instanceof Api.Failed f) {
            return CompletableFuture.completedFuture(Render.status(f.status()));
          }
          Api.Listed l = (Api.Listed) a.response();
          List<CompletableFuture<Gateway.Answer>> deletes = new ArrayList<>();
          for (HasMetadata item : l.items()) {
            String ns = item.getMetadata().getNamespace();
            String name = item.getMetadata().getName();
            deletes.add(link.call((r, tag) -> new Api.Delete(t.type(), ns, name, o, r, tag)));
          }
          return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<HasMetadata> gone = new ArrayList<>();
            for (CompletableFuture<Gateway.Answer> d : deletes) {
              if (d.join().response() instanceof Api.Ok ok) {
                gone.add(ok.object());
              }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("kind", t.type().listKind());
            out.put("apiVersion", t.type().apiVersion());
            out.put("metadata", Render.listMeta(l.resourceVersion(), null, null));
            out.put("items", gone);
            return Render.json(200, out);
          }, link.executor());
        });
  }

  // ---------------------------------------------------------------- subresources

  private CompletionStage<HttpResponse> subresource(String method, Target t, Query q, Negotiation neg,
      String contentType, byte[] body) {
    if (t.type().namespaced() && t.namespace() == null) {
      throw notFound();
    }
    String sub = t.subresource();
    return switch (sub) {
      case "status" -> switch (method) {
        case "GET" -> get(t, q, neg);
        case "PUT" -> update(t, q, contentType, body, "status");
        case "PATCH" -> patch(t, q, contentType, body, "status");
        default -> throw methodNotAllowed();
      };
      case "scale" -> switch (method) {
        case "GET" -> getScale(t);
        case "PUT" -> putScale(t, q, contentType, body);
        case "PATCH" -> patchScale(t, q, contentType, body);
        default -> throw methodNotAllowed();
      };
      case "binding" -> {
        if (!method.equals("POST")) {
          throw methodNotAllowed();
        }
        yield bind(t, contentType, body);
      }
      case "eviction" -> {
        if (!method.equals("POST")) {
          throw methodNotAllowed();
        }
        yield evict(t, q, contentType, body);
      }
      case "portforward" -> throw new StatusException(ApiErrors.status(400, "BadRequest",
          "port-forward is not supported by kubesim: its simulated containers listen on no ports", null));
      case "log" -> {
        if (!method.equals("GET")) {
          throw methodNotAllowed();
        }
        yield LogStream.serve(link, mat, t, q);
      }
      case "attach" -> throw new StatusException(ApiErrors.status(400, "BadRequest",
          "pods/attach is not supported by kubesim: its containers have no terminal to attach to; use "
              + "kubectl logs -f, or kubectl exec", null));
      default -> throw new StatusException(ApiErrors.status(400, "BadRequest",
          t.type().plural() + "/" + sub + " is not supported yet by kubesim", null));
    };
  }

  private CompletionStage<HttpResponse> bind(Target t, String contentType, byte[] body) {
    Binding b = Bodies.auxiliary(contentType, body, Binding.class, "Binding", "v1");
    if (b.getMetadata() == null) {
      b.setMetadata(new ObjectMeta());
    }
    if (b.getMetadata().getName() != null && !b.getMetadata().getName().isEmpty()
        && !b.getMetadata().getName().equals(t.name())) {
      throw new StatusException(ApiErrors.badRequest("name in URL does not match name in Binding object"));
    }
    b.getMetadata().setName(t.name());
    b.getMetadata().setNamespace(t.namespace());
    return link.call((r, tag) -> new Api.Bind(b, r, tag)).thenApply(a -> a.response() instanceof Api.Failed f
        ? Render.status(f.status()) : Render.json(201, ApiErrors.success(201)));
  }

  private CompletionStage<HttpResponse> evict(Target t, Query q, String contentType, byte[] body) {
    ObjectNode tree = Bodies.tree(contentType, body, "Eviction");
    Eviction ev = Bodies.convert(tree, Eviction.class, "Eviction", "v1");
    String name = ev.getMetadata() == null ? null : ev.getMetadata().getName();
    if (name != null && !name.isEmpty() && !name.equals(t.name())) {
      throw new StatusException(ApiErrors.badRequest("name in URL does not match name in Eviction object"));
    }
    DeleteOptions o = ev.getDeleteOptions() == null ? new DeleteOptions() : ev.getDeleteOptions();
    boolean dryRun = writeOptions(q).dryRun() || (o.getDryRun() != null && o.getDryRun().contains("All"));
    return link.call((r, tag) -> new Api.Evict(t.namespace(), t.name(), o, dryRun, r, tag))
        .thenApply(a -> a.response() instanceof Api.Failed f ? Render.status(f.status())
            : Render.json(201, ApiErrors.success(201)));
  }

  // ---------------------------------------------------------------- scale (autoscaling/v1 Scale)

  /** The Scale view of a deployment, replica set or stateful set. */
  static ObjectNode scaleOf(HasMetadata o) {
    JsonNode tree = Json.tree(o);
    ObjectNode scale = Json.MAPPER.createObjectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode m = tree.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.has(f)) {
        meta.set(f, m.get(f));
      }
    }
    scale.putObject("spec").put("replicas", tree.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", tree.path("status").path("replicas").asInt(0));
    String selector = io.kubesim.controlplane.http.printers.Human.selector(
        Json.convert(tree.path("spec").path("selector"), io.fabric8.kubernetes.api.model.LabelSelector.class));
    if (!selector.equals("<none>")) {
      status.put("selector", selector);
    }
    return scale;
  }

  private CompletionStage<HttpResponse> getScale(Target t) {
    return link.call((r, tag) -> new Api.Get(t.type(), t.namespace(), t.name(), r, tag)).thenApply(a ->
        a.response() instanceof Api.Ok ok ? Render.json(200, scaleOf(ok.object()))
            : Render.status(((Api.Failed) a.response()).status()));
  }

  private CompletionStage<HttpResponse> putScale(Target t, Query q, String contentType, byte[] body) {
    ObjectNode scale = Bodies.tree(contentType, body, "Scale");
    String name = scale.path("metadata").path("name").asString("");
    if (!name.equals(t.name())) {
      throw new StatusException(ApiErrors.badRequest("the name of the object (" + name
          + ") does not match the name on the URL (" + t.name() + ")"));
    }
    return writeScale(t, q, scale);
  }

  private CompletionStage<HttpResponse> writeScale(Target t, Query q, JsonNode scale) {
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isMissingNode() && !replicas.isNull() && !replicas.isIntegralNumber()) {
      throw new StatusException(ApiErrors.badRequest("Scale in version \"v1\" cannot be handled as a Scale: "
          + "json: cannot unmarshal " + (replicas.isString() ? "string" : "value")
          + " into Go struct field ScaleSpec.spec.replicas of type int32"));
    }
    int n = replicas.isIntegralNumber() ? replicas.asInt() : 0;
    if (n < 0) {
      StatusDetails d = new StatusDetails();
      d.setName(t.name());
      d.setKind("Scale");
      d.setGroup("autoscaling");
      throw new StatusException(ApiErrors.status(422, "Invalid", "Scale.autoscaling \"" + t.name()
          + "\" is invalid: spec.replicas: Invalid value: " + n + ": must be greater than or equal to 0", d));
    }
    ObjectNode patch = Json.MAPPER.createObjectNode();
    String rv = scale.path("metadata").path("resourceVersion").asString("");
    if (!rv.isEmpty()) {
      patch.putObject("metadata").put("resourceVersion", rv);
    }
    patch.putObject("spec").put("replicas", n);
    WriteOptions wo = writeOptions(q);
    String text = Json.write(patch);
    return link.call((r, tag) -> new Api.Patch(t.type(), t.namespace(), t.name(), null, PatchType.MERGE_PATCH, text,
        wo, r, tag)).thenApply(a -> a.response() instanceof Api.Ok ok ? Render.json(200, scaleOf(ok.object()))
            : Render.status(((Api.Failed) a.response()).status()));
  }

  private CompletionStage<HttpResponse> patchScale(Target t, Query q, String contentType, byte[] body) {
    PatchType pt = patchType(contentType);
    if (pt == PatchType.APPLY_PATCH) {
      throw Bodies.unsupportedMediaType("application/json-patch+json, application/merge-patch+json, "
          + "application/strategic-merge-patch+json");
    }
    JsonNode patch;
    try {
      patch = Json.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      throw new StatusException(ApiErrors.badRequest("error decoding patch: " + e.getMessage()));
    }
    return link.call((r, tag) -> new Api.Get(t.type(), t.namespace(), t.name(), r, tag)).thenCompose(a -> {
      if (a.response() instanceof Api.Failed f) {
        return CompletableFuture.completedFuture(Render.status(f.status()));
      }
      ObjectNode scale = scaleOf(((Api.Ok) a.response()).object());
      JsonNode patched;
      try {
        patched = pt == PatchType.JSON_PATCH ? JsonPatch.apply(patch, scale) : MergePatch.apply(scale, patch);
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(Render.status(ApiErrors.status(422, "Invalid",
            "the server rejected our request due to an error in our request: " + e.getMessage(), null)));
      }
      // A patch that does not change the resourceVersion carries no precondition: like the
      // registry's GuaranteedUpdate, it applies to whatever version is current.
      if (patched.path("metadata").path("resourceVersion").equals(scale.path("metadata").path("resourceVersion"))
          && patched.path("metadata") instanceof ObjectNode pm) {
        pm.remove("resourceVersion");
      }
      try {
        return writeScale(t, q, patched);
      } catch (StatusException e) {
        return CompletableFuture.completedFuture(Render.status(e.status));
      }
    });
  }

  static Status success(int code) {
    return ApiErrors.success(code);
  }
}
