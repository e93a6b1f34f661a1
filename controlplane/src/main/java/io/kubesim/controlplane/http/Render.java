package io.kubesim.controlplane.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.kubesim.controlplane.http.printers.Column;
import io.kubesim.controlplane.http.printers.Printer;
import io.kubesim.controlplane.http.printers.Printers;
import io.kubesim.controlplane.http.printers.Row;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns apiserver answers into HTTP responses: objects and lists as JSON, Tables for
 * server-side printing, PartialObjectMetadata, and every error as a {@code Status} with its code.
 * Serialisation happens here, on HTTP threads, with the one shared mapper.
 */
final class Render {

  static final ContentType TABLE_V1 = ContentTypes.parse("application/json;as=Table;v=v1;g=meta.k8s.io");
  static final ContentType TABLE_V1BETA1 = ContentTypes.parse("application/json;as=Table;v=v1beta1;g=meta.k8s.io");

  private Render() {}

  /** includeObject of a Table request: None, Metadata (default) or Object. */
  enum Include { NONE, METADATA, OBJECT }

  static HttpResponse json(int code, byte[] body, List<String> warnings) {
    HttpResponse r = HttpResponse.create().withStatus(code).withEntity(ContentTypes.APPLICATION_JSON, body);
    return warn(r, warnings);
  }

  static HttpResponse json(int code, Object value) {
    return json(code, Json.writeBytes(value), List.of());
  }

  static HttpResponse warn(HttpResponse r, List<String> warnings) {
    if (warnings == null || warnings.isEmpty()) {
      return r;
    }
    for (String w : warnings) {
      r = r.addHeader(RawHeader.create("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
    }
    return r;
  }

  static HttpResponse status(Status s) {
    int code = s.getCode() == null ? 500 : s.getCode();
    return json(code, Json.writeBytes(s), List.of());
  }

  /** An apiserver failure, or the object with 200/201. */
  static HttpResponse object(Api.Response r, List<String> warnings) {
    if (r instanceof Api.Failed f) {
      return status(f.status());
    }
    Api.Ok ok = (Api.Ok) r;
    return json(ok.created() ? 201 : 200, ObjectJson.of(ok.object()), warnings);
  }

  static HttpResponse singleTable(ResourceType type, HasMetadata o, Negotiation neg, Include include, Instant now) {
    Map<String, Object> table = table(type, List.of(o), o.getMetadata().getResourceVersion(), null, neg, include,
        now, true);
    return HttpResponse.create().withStatus(200).withEntity(tableType(neg), Json.writeBytes(table));
  }

  static ContentType tableType(Negotiation neg) {
    return "v1beta1".equals(neg.tableVersion()) ? TABLE_V1BETA1 : TABLE_V1;
  }

  static HttpResponse list(Api.Listed l, Negotiation neg, Include include, Instant now) {
    if (neg.table()) {
      Map<String, Object> table = table(l.type(), l.items(), l.resourceVersion(), l.continueToken(), neg, include,
          now, true);
      return HttpResponse.create().withStatus(200).withEntity(tableType(neg), Json.writeBytes(table));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> meta = listMeta(l.resourceVersion(), l.continueToken(), l.remainingItemCount());
    if (neg.metadataOnly()) {
      out.put("kind", "PartialObjectMetadataList");
      out.put("apiVersion", "meta.k8s.io/v1");
      out.put("metadata", meta);
      List<Object> items = new ArrayList<>(l.items().size());
      for (HasMetadata o : l.items()) {
        items.add(partial(o));
      }
      out.put("items", items);
    } else {
      out.put("kind", l.type().listKind());
      out.put("apiVersion", l.type().apiVersion());
      out.put("metadata", meta);
      out.put("items", l.items());
    }
    return json(200, Json.writeBytes(out), List.of());
  }

  static Map<String, Object> listMeta(String rv, String cont, Long remaining) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resourceVersion", rv);
    if (cont != null && !cont.isEmpty()) {
      meta.put("continue", cont);
    }
    if (remaining != null) {
      meta.put("remainingItemCount", remaining);
    }
    return meta;
  }

  static Map<String, Object> partial(HasMetadata o) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", "meta.k8s.io/v1");
    p.put("metadata", o.getMetadata());
    return p;
  }

  static Map<String, Object> table(ResourceType type, List<HasMetadata> items, String rv, String cont,
      Negotiation neg, Include include, Instant now, boolean withColumns) {
    Printer printer = Printers.of(type);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/" + (neg.tableVersion() == null ? "v1" : neg.tableVersion()));
    t.put("metadata", listMeta(rv, cont, null));
    if (withColumns) {
      List<Map<String, Object>> cols = new ArrayList<>();
      for (Column c : printer.columns()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("format", c.format());
        m.put("description", c.description());
        m.put("priority", c.priority());
        cols.add(m);
      }
      t.put("columnDefinitions", cols);
    }
    List<Map<String, Object>> rows = new ArrayList<>(items.size());
    for (HasMetadata o : items) {
      Row row = printer.row(o, now);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cells", row.cells());
      if (!row.conditions().isEmpty()) {
        r.put("conditions", row.conditions());
      }
      if (include == Include.OBJECT) {
        r.put("object", o);
      } else if (include == Include.METADATA) {
        r.put("object", partial(o));
      }
      rows.add(r);
    }
    t.put("rows", rows);
    return t;
  }
}
