package io.kubesim.controlplane.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubesim.controlplane.manifest.ManifestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {

  private static final String HEAD = """
      apiVersion: kubesim.io/v1alpha1
      kind: Scenario
      metadata:
        name: t
      spec:
        duration: 10m
      """;

  @Test
  void readsTheTimelineInTimeOrderAndTheExpectations() {
    Scenario s = ScenarioParser.parse("s.yaml", HEAD + """
          seed: 7
          timeline:
          - at: 5m
            action: uncordon
            node: w1-k8s
          - at: 1m
            action: node-down
            node: w3-k8s
          expect:
          - at: 2m
            node: w3-k8s
            ready: Unknown
            taints: [node.kubernetes.io/unreachable:NoExecute]
          - at: 9m
            pods: {selector: app=web, phase: Running, notNode: w3-k8s, count: 3}
        """);
    assertThat(s.seed()).isEqualTo(7);
    assertThat(s.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.timeline()).extracting(st -> st.action().describe()).containsExactly("node-down w3-k8s",
        "uncordon w1-k8s");
    assertThat(s.expectations()).hasSize(2);
    assertThat(s.cluster().nodeNames()).containsExactly("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s");
  }

  @Test
  void nodeDocumentsReplaceTheDefaultCluster() {
    Scenario s = ScenarioParser.parse("s.yaml", """
        apiVersion: v1
        kind: Node
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: b}
        ---
        """ + HEAD);
    assertThat(s.cluster().nodeNames()).containsExactly("a", "b");
  }

  @Test
  void anUnknownActionNamesTheFileTheDocumentAndTheField() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 1m
            action: nodedown
            node: w3-k8s
        """)).isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("s.yaml: document 1 (line 9, Scenario t): spec.timeline[0].action: Unsupported value: "
            + "\"nodedown\"");
  }

  @Test
  void aTypoInAFieldNameIsAnError() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 1m
            action: node-down
            nodee: w3-k8s
        """)).hasMessageContaining("spec.timeline[0].node: Required value");
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          expect:
          - at: 1m
            node: w3-k8s
            raedy: Unknown
        """)).hasMessageContaining("spec.expect[0].raedy: unknown field");
  }

  @Test
  void anErrorPointsAtTheLineOfItsFieldInALaterDocument() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", """
        ---
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
        ---
        """ + HEAD + """
          timeline:
          - at: 1m
            action: cordon
            node: w1-k8s
          expect:
          - at: 2m
            pods: {selector: app=web, phase: Running}
          - at: 3m
            pods:
              selector: app=web
              phse: Running
        """)).hasMessage("s.yaml: document 3 (line 23, Scenario t): spec.expect[1].pods.phse: unknown field");
  }

  @Test
  void aFaultOnANodeTheClusterDoesNotHaveIsAnError() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 1m
            action: node-down
            node: w9-k8s
        """)).hasMessage("s.yaml: document 1 (line 10, Scenario t): spec.timeline[0].node: Not found: \"w9-k8s\": "
        + "the cluster's nodes are m-k8s, w1-k8s, w2-k8s, w3-k8s");
  }

  @Test
  void aMisspeltSettingIsAnErrorNamingItsLine() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          settings:
            nodeMonitorGracePeriodd: 30s
        """)).hasMessageStartingWith("s.yaml: document 1 (line 8, Scenario t): spec.settings.nodeMonitorGracePeriodd: "
        + "unknown setting (known: ");
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          settings:
            nodeMonitorGracePeriod: soon
        """)).hasMessageStartingWith("s.yaml: document 1 (line 8, Scenario t): spec.settings.nodeMonitorGracePeriod: ");
  }

  @Test
  void aBadDurationIsReportedWithItsField() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD.replace("10m", "ten minutes")))
        .hasMessageContaining("spec.duration: invalid duration \"ten minutes\"");
  }

  @Test
  void anActionAfterTheEndIsAnError() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 11m
            action: node-up
            node: w3-k8s
        """)).hasMessageContaining("spec.timeline[0].at: is after the end of the scenario (duration 10m0s)");
  }

  @Test
  void aManifestWithAWrongTypeNamesTheDocumentAndTheField() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: three
        ---
        """ + HEAD)).hasMessage("s.yaml: document 1 (line 5, Deployment web): spec.replicas: expected an integer, "
        + "got \"three\"");
  }

  @Test
  void anUnknownFieldInAManifestIsAnErrorAsWithKubectl() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: nginx
            imagee: typo
        ---
        """ + HEAD)).hasMessageContaining("s.yaml: document 1 (line 8, Pod p): unknown field "
        + "\"spec.containers[0].imagee\"");
  }

  @Test
  void aManifestAppliedInTheTimelineIsReportedAtItsLineInTheFile() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 10s
            action: apply
            manifest: |
              apiVersion: v1
              kind: Pod
              metadata:
                name: p
              spec:
                containers:
                - name: app
                  image: nginx
                  imagee: typo
        """)).hasMessage("s.yaml: spec.timeline[0].manifest: document 1 (line 19, Pod p): unknown field "
        + "\"spec.containers[0].imagee\"");
  }

  @Test
  void anUnknownKindIsAnError() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        ---
        """ + HEAD)).hasMessageContaining("no kind \"Widget\" is registered for version \"example.com/v1\"");
  }

  @Test
  void aFileWithoutAScenarioIsAnError() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"))
        .hasMessageContaining("no Scenario document");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + "  timeline: [\n"))
        .hasMessageContaining("s.yaml").hasMessageContaining("invalid YAML");
    assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", HEAD + """
          timeline:
          - at: 1m
           action: cordon
        """)).hasMessage("s.yaml: document 1: invalid YAML: while parsing a block mapping: expected <block end>, but "
        + "found '<block mapping start>' (line 9, column 4)");
  }
}
