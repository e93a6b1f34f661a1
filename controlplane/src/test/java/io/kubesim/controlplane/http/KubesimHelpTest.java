package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code kubesim} subcommands and options the issue names, as {@code --help} shows them. */
class KubesimHelpTest {

  private static String help(String... command) {
    String[] args = java.util.Arrays.copyOf(command, command.length + 1);
    args[command.length] = "--help";
    KubesimCli.Result r = KubesimCli.runAsIs(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  @Test
  void topLevelHelpSummarizesEachServingCommandInOneWholeLine() {
    assertThat(help()).containsPattern("\\n  serve\\s+Runs an emulated cluster with a Kubernetes API")
        .containsPattern("\\n  clock\\s+Shows or controls the virtual clock of a running `kubesim serve`\\.\\n")
        .containsPattern("\\n  fault\\s+Injects a node fault into a running `kubesim serve`\\.\\n")
        .containsPattern("\\n  logs\\s+Prints the log lines of the controllers, scheduler and kubelets of a\\s+"
            + "running `kubesim serve`\\.\\n")
        .containsPattern("\\n  explain\\s+Explains the scheduler's latest decision for a pod of a running\\s+"
            + "`kubesim serve`\\.\\n");
  }

  @Test
  void serveHelpListsEveryOptionOfTheCommandLine() {
    assertThat(help("serve")).contains("--cluster=FILE").contains("--address=ADDRESS").contains("--port=PORT")
        .contains("--kubeconfig=PATH").contains("--seed=N").contains("--token=T").contains("--data-dir=DIR")
        .containsPattern("\\[--speed=X\\s+\\|\\s+--paused\\]")
        .containsPattern("--address=ADDRESS\\s+Address to listen on \\(default: 127.0.0.1\\)")
        .containsPattern("--port=PORT\\s+Port to listen on \\(default: 6443\\)");
  }

  @Test
  void clockHelpListsItsActions() {
    assertThat(help("clock")).contains("Usage: kubesim clock [-hV] [--kubeconfig=PATH] ACTION [ARG]")
        .containsPattern("status\\s+the virtual time").containsPattern("pause \\| resume\\s+")
        .containsPattern("advance DURATION\\s+").containsPattern("speed X\\s+");
  }

  @Test
  void faultHelpListsItsFaults() {
    String out = help("fault");
    assertThat(out).contains("Usage: kubesim fault [-hV] [--kubeconfig=PATH] FAULT NODE");
    for (String fault : new String[] {"node-down", "node-up", "kubelet-stop", "kubelet-start", "partition", "heal"}) {
      assertThat(out).containsPattern("\\n  " + fault + " NODE\\s+\\S");
    }
  }

  @Test
  void logsHelpListsComponentAndFollow() {
    assertThat(help("logs")).contains("Usage: kubesim logs [-fhV] [--component=NAME] [--kubeconfig=PATH]")
        .contains("-f, --follow");
  }
}
