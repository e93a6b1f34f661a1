package io.kubesim.controlplane.launcher;

import picocli.CommandLine;

/** The version kubesim reports, and the Kubernetes release whose behaviour it emulates. */
public final class Version {

  /** kubesim's own version. */
  public static final String KUBESIM = "0.1.0";
  /** The Kubernetes minor whose behaviour kubesim matches (see the handbook's SEMANTICS). */
  public static final String KUBERNETES_MAJOR = "1";
  public static final String KUBERNETES_MINOR = "34";
  public static final String KUBERNETES_GIT_VERSION = "v1.34.0";

  private Version() {}

  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kubesim " + KUBESIM + " (emulates Kubernetes " + KUBERNETES_GIT_VERSION + ")"};
    }
  }
}
