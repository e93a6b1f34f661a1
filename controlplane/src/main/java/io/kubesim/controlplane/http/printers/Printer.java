package io.kubesim.controlplane.http.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;

/** Server-side printing of one kind: its columns and one row per object, with AGE relative to {@code now}. */
public interface Printer {
  List<Column> columns();

  Row row(HasMetadata object, Instant now);
}
