package io.kubesim.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kubesim.shared.json.Json;

/** go-spew's {@code %#v} printing of a pod template, as hashutil.DeepHashObject feeds it to the hash. */
final class GoSpew {

  private GoSpew() {}

  static String podTemplateSpec(PodTemplateSpec t) {
    return Json.write(t);
  }
}
