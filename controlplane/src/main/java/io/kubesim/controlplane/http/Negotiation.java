package io.kubesim.controlplane.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client asked for in its Accept header, in kube-apiserver's terms: a Table
 * (server-side printing), an aggregated discovery document (v2 or v2beta1), metadata only, or
 * plain JSON. The client's order decides between alternatives, as kubectl lists them best first.
 *
 * @param tableVersion "v1" or "v1beta1" of meta.k8s.io when a Table was asked for, else null
 * @param discoveryVersion "v2" or "v2beta1" of apidiscovery.k8s.io, else null
 * @param metadataOnly PartialObjectMetadata(List) was asked for
 */
record Negotiation(String tableVersion, String discoveryVersion, boolean metadataOnly) {

  static final Negotiation JSON = new Negotiation(null, null, false);

  boolean table() {
    return tableVersion != null;
  }

  static Negotiation of(String accept) {
    if (accept == null || accept.isEmpty()) {
      return JSON;
    }
    String table = null;
    String discovery = null;
    boolean metadata = false;
    for (String range : accept.split(",")) {
      Map<String, String> params = new LinkedHashMap<>();
      String[] parts = range.split(";");
      String media = parts[0].trim().toLowerCase();
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq > 0) {
          params.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
      }
      if (!media.equals("application/json") && !media.equals("application/*") && !media.equals("*/*")) {
        continue;
      }
      String as = params.get("as");
      String g = params.get("g");
      String v = params.get("v");
      if (as == null) {
        continue;
      }
      if (as.equals("Table") && "meta.k8s.io".equals(g) && table == null && ("v1".equals(v) || "v1beta1".equals(v))) {
        table = v;
      } else if (as.equals("APIGroupDiscoveryList") && "apidiscovery.k8s.io".equals(g) && discovery == null
          && ("v2".equals(v) || "v2beta1".equals(v))) {
        discovery = v;
      } else if ((as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))
          && "meta.k8s.io".equals(g)) {
        metadata = true;
      }
    }
    return new Negotiation(table, discovery, metadata);
  }
}
