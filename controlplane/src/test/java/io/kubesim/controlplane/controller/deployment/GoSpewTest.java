package io.kubesim.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoSpewTest {

  private static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.27").addNewPort().withContainerPort(80)
        .withProtocol("TCP").endPort().withNewResources().addToRequests("cpu", new Quantity("100m")).endResources()
        .endContainer().withRestartPolicy("Always").withTerminationGracePeriodSeconds(30L).withNewSecurityContext()
        .endSecurityContext().endSpec().build();
  }

  @Test
  void printsTypesFieldNamesAndNilsAsSpewsPercentHashV() {
    String s = GoSpew.podTemplateSpec(template());
    assertThat(s).startsWith("(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) "
        + "Namespace:(string) SelfLink:(string) UID:(types.UID) ResourceVersion:(string) Generation:(int64)0 "
        + "CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}} "
        + "DeletionTimestamp:(*v1.Time)<nil> DeletionGracePeriodSeconds:(*int64)<nil> "
        + "Labels:(map[string]string)map[app:web] Annotations:(map[string]string)<nil> ");
    assertThat(s).contains("Containers:([]v1.Container)[{Name:(string)app Image:(string)nginx:1.27 ");
    assertThat(s).contains("Ports:([]v1.ContainerPort)[{Name:(string) HostPort:(int32)0 ContainerPort:(int32)80 "
        + "Protocol:(v1.Protocol)TCP HostIP:(string)}]");
    assertThat(s).contains("Requests:(v1.ResourceList)map[cpu:{i:(resource.int64Amount){value:(int64)100 "
        + "scale:(resource.Scale)-3} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m "
        + "Format:(resource.Format)DecimalSI}]");
    assertThat(s).contains("TerminationGracePeriodSeconds:(*int64)30 ActiveDeadlineSeconds:(*int64)<nil>");
    assertThat(s).contains("SecurityContext:(*v1.PodSecurityContext){SELinuxOptions:(*v1.SELinuxOptions)<nil> ");
    assertThat(s).endsWith("Resources:(*v1.ResourceRequirements)<nil> HostnameOverride:(*string)<nil>}}");
  }

  @ParameterizedTest(name = "ParseQuantity({0}) = {1} x 10^{2}, s={3}, {4}")
  @CsvSource({
      "100m, 100, -3, 100m, DecimalSI",
      "1, 1, 0, 1, DecimalSI",
      "1000m, 1000, -3, '', DecimalSI",   // not canonical (that is "1"): s stays empty
      "0.5, 5, -1, '', DecimalSI",
      "1Gi, 1073741824, 0, 1Gi, BinarySI",
      "128Mi, 134217728, 0, '', BinarySI", // 128 is a multiple of 8: not kept
      "100Mi, 104857600, 0, 100Mi, BinarySI",
      "2k, 2, 3, 2k, DecimalSI",
  })
  void quantitiesAreParsedAsResourceParseQuantityLeavesThem(String in, long value, int scale, String s,
      String format) {
    GoSpew.Parsed p = GoSpew.parse(in);
    assertThat(p.value()).isEqualTo(value);
    assertThat(p.scale()).isEqualTo(scale);
    assertThat(p.s()).isEqualTo(s);
    assertThat(p.format()).isEqualTo(format);
  }
}
