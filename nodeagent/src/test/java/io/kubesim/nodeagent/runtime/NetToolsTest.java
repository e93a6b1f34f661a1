package io.kubesim.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The network commands of the simulated shell, run as a container's script. */
class NetToolsTest {

  static final class Host extends SimProcessTest.FakeHost {
    final ClusterDns dns = ClusterDnsTest.cluster();

    Host() {
      fs.put("/etc/resolv.conf", "search default.svc.cluster.local svc.cluster.local cluster.local\n"
          + "nameserver 10.96.0.10\noptions ndots:5\n");
    }

    @Override
    public ClusterDns dns() {
      return dns;
    }
  }

  /** Runs a script to its end (sleeps pass at once), returning its output lines and "exit N at S". */
  static List<String> run(Host host, String script) {
    SimProcess p = new SimProcess(Script.parse(script), List.of("sh"), new LinkedHashMap<>(), SimProcess.Mode.MAIN,
        host);
    for (int i = 0; i < 100; i++) {
      SimProcess.Step step = p.run();
      if (step instanceof SimProcess.Exit e) {
        host.lines.add("exit " + e.code() + " at " + Duration.between(SimProcessTest.T0, host.now).toSeconds());
        return host.lines;
      }
      if (step instanceof SimProcess.Forever) {
        host.lines.add("forever");
        return host.lines;
      }
      host.now = host.now.plus(((SimProcess.Sleep) step).duration());
    }
    return host.lines;
  }

  @Test
  void nslookupPrintsBusyboxAnswer() {
    assertThat(run(new Host(), "nslookup web")).containsExactly("0 Server:\t\t10.96.0.10", "0 Address:\t10.96.0.10:53",
        "0 ", "0 Name:\tweb.default.svc.cluster.local", "0 Address: 10.96.12.7", "0 ", "exit 0 at 0");
  }

  @Test
  void nslookupOfAMissingNameFailsWithNxdomain() {
    List<String> out = run(new Host(), "nslookup myservice.default.svc.cluster.local");
    assertThat(out).contains("0 ** server can't find myservice.default.svc.cluster.local: NXDOMAIN");
    assertThat(out).last().isEqualTo("exit 1 at 0");
  }

  @Test
  void theDocsInitContainerLoopWaitsUntilTheServiceExists() {
    Host host = new Host();
    host.fs.put("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "default");
    String script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
        + ".svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    SimProcess p = new SimProcess(Script.parse(script), List.of("sh"), new LinkedHashMap<>(), SimProcess.Mode.MAIN,
        host);
    for (int i = 0; i < 3; i++) {
      SimProcess.Step step = p.run();
      assertThat(step).isInstanceOf(SimProcess.Sleep.class);
      host.now = host.now.plusSeconds(2);
    }
    assertThat(host.lines).contains("0 waiting for myservice", "4 waiting for myservice");
    host.dns.put(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("myservice")
        .withNamespace("default").endMetadata().withNewSpec().withClusterIP("10.96.3.3").endSpec().build());
    SimProcess.Step last = p.run();
    assertThat(last).as(String.join("\n", host.lines)).isEqualTo(new SimProcess.Exit(0));
    assertThat(host.lines).contains("6 Address: 10.96.3.3");
  }

  @Test
  void getentAndHostResolveToo() {
    assertThat(run(new Host(), "getent hosts web")).containsExactly(
        "0 10.96.12.7      web.default.svc.cluster.local", "exit 0 at 0");
    assertThat(run(new Host(), "getent hosts nope")).containsExactly("exit 2 at 0");
    assertThat(run(new Host(), "host web")).containsExactly(
        "0 web.default.svc.cluster.local has address 10.96.12.7", "exit 0 at 0");
    assertThat(run(new Host(), "host nope")).containsExactly("0 Host nope not found: 3(NXDOMAIN)", "exit 1 at 0");
  }

  @Test
  void pingOfAServiceSucceeds() {
    List<String> out = run(new Host(), "ping -c 1 web");
    assertThat(out).first().isEqualTo("0 PING web (10.96.12.7): 56 data bytes");
    assertThat(out).contains("0 1 packets transmitted, 1 packets received, 0% packet loss");
    assertThat(out).last().isEqualTo("exit 0 at 0");
    assertThat(run(new Host(), "ping -c 1 nope")).containsExactly("0! ping: bad address 'nope'", "exit 1 at 0");
  }

  @Test
  void wgetFetchesFromAReadyEndpoint() {
    assertThat(run(new Host(), "wget -qO- http://web")).containsExactly(
        "0 kubesim: HTTP 200 OK for / from pod web-1 (10.244.1.2:8080)", "exit 0 at 0");
  }

  @Test
  void wgetToAServiceWithoutEndpointsIsRefused() {
    assertThat(run(new Host(), "wget -O- http://empty")).containsExactly("0! Connecting to empty (10.96.50.1:80)",
        "0! wget: can't connect to remote host (10.96.50.1): Connection refused", "exit 1 at 0");
  }

  @Test
  void wgetToAPortNobodyListensOnTimesOut() {
    assertThat(run(new Host(), "wget -q -T 5 http://web:81/")).containsExactly("5! wget: download timed out",
        "exit 1 at 5");
  }

  @Test
  void curlReportsResolveAndConnectErrorsWithItsExitCodes() {
    assertThat(run(new Host(), "curl -s http://web/healthz")).containsExactly(
        "0 kubesim: HTTP 200 OK for /healthz from pod web-1 (10.244.1.2:8080)", "exit 0 at 0");
    assertThat(run(new Host(), "curl http://nope")).containsExactly("0! curl: (6) Could not resolve host: nope",
        "exit 6 at 0");
    assertThat(run(new Host(), "curl http://empty")).last().isEqualTo("exit 7 at 0");
  }

  @Test
  void wgetSavesToAFileByDefault() {
    Host host = new Host();
    run(host, "wget -q http://web/index.html");
    assertThat(host.fs.read("/index.html")).startsWith("kubesim: HTTP 200 OK");
  }
}
