package io.kubesim.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodTemplateHashTest {

  private static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
  }

  @ParameterizedTest(name = "SafeEncodeString({0}) = {1}")
  @CsvSource({
      "0123456789, 456789bcdf",
      "3578294765, 79cd6f8cb9",
      "'', ''",
  })
  void safeEncodeStringMapsEachByteIntoTheAlphabet(String in, String out) {
    assertThat(PodTemplateHash.safeEncode(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "fnv32a({0}) = {1}")
  @CsvSource({
      "'', 2166136261",
      "a, 3826002220",
      "foobar, 3214735720",
  })
  void fnv32aMatchesGosHashFnv(String in, long sum) {
    PodTemplateHash.Fnv32a h = new PodTemplateHash.Fnv32a();
    h.write(in.getBytes(StandardCharsets.UTF_8));
    assertThat(Integer.toUnsignedLong(h.sum())).isEqualTo(sum);
  }

  @Test
  void theHashIsStableAndSpelledFromTheConsonantAlphabet() {
    String a = PodTemplateHash.compute(template("nginx:1.27"), null);
    assertThat(a).isEqualTo(PodTemplateHash.compute(template("nginx:1.27"), null));
    assertThat(a).matches("[456789bcdf]{1,10}");
  }

  @Test
  void anotherTemplateOrACollisionCountGivesAnotherHash() {
    String a = PodTemplateHash.compute(template("nginx:1.27"), null);
    assertThat(PodTemplateHash.compute(template("nginx:1.28"), null)).isNotEqualTo(a);
    assertThat(PodTemplateHash.compute(template("nginx:1.27"), 1)).isNotEqualTo(a);
    assertThat(PodTemplateHash.compute(template("nginx:1.27"), 1))
        .isNotEqualTo(PodTemplateHash.compute(template("nginx:1.27"), 2));
  }
}
