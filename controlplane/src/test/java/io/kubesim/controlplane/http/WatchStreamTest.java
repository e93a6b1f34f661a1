package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WatchStreamTest {

  @ParameterizedTest
  @EnumSource(value = Api.EventType.class, names = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK"})
  void anEventLineAroundTheSharedObjectJsonIsWhatTheMapperWritesForTheEvent(Api.EventType type) {
    Pod pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("default")
        .withResourceVersion("42").addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
        .withName("c").withImage("nginx").endContainer().endSpec().build();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type.name());
    event.put("object", pod);

    String line = WatchStream.sharedLine(type, pod).bytes().utf8String();

    assertThat(line).isEqualTo(new String(Json.writeBytes(event), StandardCharsets.UTF_8) + "\n");
  }
}
