package io.kubesim.controlplane.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod's requests as resourcehelper.PodRequests computes them. */
class ResourceTest {

  static Container c(String name, String cpu, String memory) {
    Map<String, Quantity> req = new LinkedHashMap<>();
    if (cpu != null) {
      req.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      req.put("memory", new Quantity(memory));
    }
    return new ContainerBuilder().withName(name).withNewResources().withRequests(req).endResources().build();
  }

  @Test
  void sumsAppContainers() {
    PodSpec spec = new PodSpecBuilder().withContainers(c("a", "250m", "64Mi"), c("b", "750m", "64Mi")).build();
    Resource r = Resource.podRequests(spec, false);
    assertThat(r.milliCpu).isEqualTo(1000);
    assertThat(r.memory).isEqualTo(128L << 20);
  }

  @Test
  void takesTheLargerOfTheInitContainersAndTheApps() {
    PodSpec spec = new PodSpecBuilder().withInitContainers(c("i1", "2", null), c("i2", "500m", "1Gi"))
        .withContainers(c("a", "1", "256Mi")).build();
    Resource r = Resource.podRequests(spec, false);
    assertThat(r.milliCpu).isEqualTo(2000);
    assertThat(r.memory).isEqualTo(1L << 30);
  }

  @Test
  void sidecarsRunAlongsideTheAppsAndLaterInitContainers() {
    Container sidecar = new ContainerBuilder(c("s", "500m", null)).withRestartPolicy("Always").build();
    PodSpec spec = new PodSpecBuilder().withInitContainers(sidecar, c("i", "1", null))
        .withContainers(c("a", "1", null)).build();
    // apps + sidecar = 1.5; init i runs with the sidecar: 1 + 0.5 = 1.5
    assertThat(Resource.podRequests(spec, false).milliCpu).isEqualTo(1500);
  }

  @Test
  void addsThePodOverhead() {
    PodSpec spec = new PodSpecBuilder().withContainers(c("a", "1", null))
        .withOverhead(Map.of("cpu", new Quantity("250m"))).build();
    assertThat(Resource.podRequests(spec, false).milliCpu).isEqualTo(1250);
  }

  @Test
  void countsMissingRequestsAsDefaultsForScoring() {
    PodSpec spec = new PodSpecBuilder().withContainers(c("a", null, null), c("b", "1", null)).build();
    Resource r = Resource.podRequests(spec, true);
    assertThat(r.milliCpu).isEqualTo(1100);
    assertThat(r.memory).isEqualTo(2 * Resource.DEFAULT_MEMORY_REQUEST);
  }

  @Test
  void anExplicitZeroIsNotMissing() {
    PodSpec spec = new PodSpecBuilder().withContainers(c("a", "0", "0")).build();
    Resource r = Resource.podRequests(spec, true);
    assertThat(r.milliCpu).isZero();
    assertThat(r.memory).isZero();
  }

  @Test
  void readsQuantitiesAsGoRoundsThem() {
    assertThat(Quantities.milliValue(new Quantity("1.5"))).isEqualTo(1500);
    assertThat(Quantities.milliValue(new Quantity("250m"))).isEqualTo(250);
    assertThat(Quantities.value(new Quantity("1Ki"))).isEqualTo(1024);
    assertThat(Quantities.value(new Quantity("1500m"))).isEqualTo(2);
    assertThat(Quantities.value(new Quantity("1e3"))).isEqualTo(1000);
    assertThat(Quantities.value(new Quantity("0.5Gi"))).isEqualTo(512L << 20);
  }
}
