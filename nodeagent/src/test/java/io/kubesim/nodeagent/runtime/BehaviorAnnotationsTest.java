package io.kubesim.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BehaviorAnnotationsTest {

  static Stream<Arguments> goDurations() {
    return Stream.of(Arguments.of("30s", Duration.ofSeconds(30)), Arguments.of("1m30s", Duration.ofSeconds(90)),
        Arguments.of("1.5h", Duration.ofMinutes(90)), Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("0", Duration.ZERO), Arguments.of("2h45m", Duration.ofMinutes(165)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goDurations")
  void parsesGoDurations(String text, Duration expected) {
    assertThat(BehaviorAnnotations.parseGoDuration(text)).isEqualTo(expected);
  }

  @Test
  void reportsGoDurationErrorsInGosWords() {
    assertThatThrownBy(() -> BehaviorAnnotations.parseGoDuration("30")).hasMessage(
        "time: missing unit in duration \"30\"");
    assertThatThrownBy(() -> BehaviorAnnotations.parseGoDuration("5x")).hasMessage(
        "time: unknown unit \"x\" in duration \"5x\"");
  }

  @Test
  void readsEveryFieldOfTheFamily() {
    Map<String, String> a = Map.of(
        "kubesim.io/exit-after.app", "30s",
        "kubesim.io/exit-code.app", "3",
        "kubesim.io/start-delay.app", "2s",
        "kubesim.io/memory-usage.app", "300Mi",
        "kubesim.io/readiness.app", "fail-after=1m",
        "kubesim.io/liveness.app", "fail",
        "kubesim.io/startup.app", "pass-after=20s",
        "kubesim.io/sigterm.app", "ignore",
        "kubesim.io/image-pull.app", "fail");
    BehaviorAnnotations.Parsed p = BehaviorAnnotations.parse(a, "app");
    assertThat(p.problems()).isEmpty();
    ContainerBehavior b = p.behavior();
    assertThat(b.exitAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.exitCode()).isEqualTo(3);
    assertThat(b.startDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.memoryUsageBytes()).isEqualTo(300L * 1024 * 1024);
    assertThat(b.readiness().passes(Duration.ofSeconds(59))).isTrue();
    assertThat(b.readiness().passes(Duration.ofSeconds(60))).isFalse();
    assertThat(b.liveness().passes(Duration.ZERO)).isFalse();
    assertThat(b.startup().passes(Duration.ofSeconds(20))).isTrue();
    assertThat(b.sigterm().kind()).isEqualTo(ContainerBehavior.Sigterm.Kind.IGNORE);
    assertThat(b.imagePull().fail()).isTrue();
  }

  @Test
  void aBadValueIsReportedWithItsAnnotationAndIgnored() {
    BehaviorAnnotations.Parsed p = BehaviorAnnotations.parse(Map.of("kubesim.io/readiness.app", "sometimes",
        "kubesim.io/exit-code.app", "300"), "app");
    assertThat(p.behavior().readiness()).isNull();
    assertThat(p.behavior().exitCode()).isNull();
    assertThat(p.problems()).extracting(BehaviorAnnotations.Problem::annotation)
        .containsExactlyInAnyOrder("kubesim.io/readiness.app", "kubesim.io/exit-code.app");
  }

  @Test
  void namesAnnotationsForContainersThePodDoesNotHave() {
    assertThat(BehaviorAnnotations.unknownContainers(Map.of("kubesim.io/exit-after.web", "1s",
        "kubesim.io/something-else", "x"), List.of("app"))).extracting(BehaviorAnnotations.Problem::annotation)
        .containsExactly("kubesim.io/exit-after.web");
  }
}
