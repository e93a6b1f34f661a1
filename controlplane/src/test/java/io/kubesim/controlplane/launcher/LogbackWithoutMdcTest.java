package io.kubesim.controlplane.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogbackWithoutMdcTest {

  @Test
  void logsThroughLogbackAndKeepsNoDiagnosticContext() {
    LogbackWithoutMdc provider = new LogbackWithoutMdc();
    provider.initialize();

    assertThat(provider.getLoggerFactory()).isInstanceOf(ch.qos.logback.classic.LoggerContext.class);
    provider.getMDCAdapter().put("akkaSource", "akka://kubesim/user/kubelet-w1");
    assertThat(provider.getMDCAdapter().get("akkaSource")).isNull();
    assertThat(provider.getMDCAdapter().getCopyOfContextMap()).isNull();
  }
}
