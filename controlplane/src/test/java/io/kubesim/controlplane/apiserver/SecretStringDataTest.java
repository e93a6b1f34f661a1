package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Secret's stringData is folded into data, base64-encoded, and never stored. */
class SecretStringDataTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void stringDataOnCreateBecomesData() {
    Secret s = h.created(Json.YAML.readValue("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
        + "data: {user: YWRtaW4=, password: b2xk}\nstringData: {password: s3cret}\n", Secret.class));
    assertThat(s.getStringData()).isNull();
    assertThat(s.getData()).containsEntry("user", "YWRtaW4=").containsEntry("password", "czNjcmV0");
    Secret stored = h.ok(h.get(Resources.SECRETS, "default", "s"), Secret.class);
    assertThat(stored.getStringData()).isNull();
    assertThat(stored.getData()).containsEntry("password", "czNjcmV0");
  }

  @Test
  void stringDataInAPatchOverwritesTheKey() {
    h.created(Json.YAML.readValue("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
        + "data: {password: b2xk}\n", Secret.class));
    Secret s = h.ok(h.patch(Resources.SECRETS, "default", "s", PatchType.MERGE_PATCH,
        "{\"stringData\":{\"password\":\"new\"}}"), Secret.class);
    assertThat(s.getStringData()).isNull();
    assertThat(s.getData()).containsEntry("password", "bmV3");
  }
}
