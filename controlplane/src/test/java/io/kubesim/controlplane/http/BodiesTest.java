package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.shared.api.Resources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodiesTest {

  private static HasMetadata pod(String json) {
    return Bodies.object(Resources.PODS, "application/json", json.getBytes(StandardCharsets.UTF_8), null,
        new ArrayList<>());
  }

  @Test
  void aJsonObjectOfTheUrlsKindIsReadIntoItsClass() {
    HasMetadata p = pod("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");

    assertThat(p).isInstanceOf(Pod.class);
    assertThat(((Pod) p).getSpec().getContainers()).singleElement().satisfies(c -> assertThat(c.getImage())
        .isEqualTo("nginx"));
  }

  @Test
  void aMissingKindAndApiVersionDefaultToTheUrls() {
    HasMetadata p = pod("{\"metadata\":{\"name\":\"a\"}}");

    assertThat(p.getKind()).isEqualTo("Pod");
    assertThat(p.getApiVersion()).isEqualTo("v1");
  }

  @Test
  void anotherKindIsRefusedWithKubeApiserversMessage() {
    assertThatThrownBy(() -> pod("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"a\"}}"))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.status.getMessage()).isEqualTo(
            "Service in version \"v1\" cannot be handled as a Pod: converting (v1.Service) to (v1.Pod): unknown "
                + "conversion"));
  }

  @Test
  void unknownFieldsAreStillReportedUnderFieldValidationWarn() {
    List<String> warnings = new ArrayList<>();

    Bodies.object(Resources.PODS, "application/json", "{\"metadata\":{\"name\":\"a\"},\"bogus\":1}"
        .getBytes(StandardCharsets.UTF_8), "Warn", warnings);

    assertThat(warnings).containsExactly("unknown field \"bogus\"");
  }
}
