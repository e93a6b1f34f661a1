package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountStatus;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The files a pod's volumes put in its containers, as the kubelet's volume plugins write them:
 * configMap and secret keys (or their items), downwardAPI fields, projected combinations, and
 * empty directories for emptyDir, hostPath and claims. Also which ConfigMaps and Secrets a pod
 * needs before its containers can start.
 */
final class Volumes {

  private Volumes() {}

  /** A volume that cannot be set up: the FailedMount event's message. */
  static final class MountError extends Exception {
    final String volume;

    MountError(String volume, String message) {
      super(message);
      this.volume = volume;
    }
  }

  /** The ConfigMaps (first) and Secrets (second) the pod refers to, in volumes and in env. */
  static List<TreeSet<String>> references(Pod pod) {
    TreeSet<String> cms = new TreeSet<>();
    TreeSet<String> secrets = new TreeSet<>();
    if (pod.getSpec().getVolumes() != null) {
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getConfigMap() != null) {
          addIfSet(cms, v.getConfigMap().getName());
        }
        if (v.getSecret() != null) {
          addIfSet(secrets, v.getSecret().getSecretName());
        }
        if (v.getProjected() != null && v.getProjected().getSources() != null) {
          for (VolumeProjection p : v.getProjected().getSources()) {
            if (p.getConfigMap() != null) {
              addIfSet(cms, p.getConfigMap().getName());
            }
            if (p.getSecret() != null) {
              addIfSet(secrets, p.getSecret().getName());
            }
          }
        }
      }
    }
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    for (Container c : all) {
      if (c.getEnvFrom() != null) {
        for (EnvFromSource f : c.getEnvFrom()) {
          if (f.getConfigMapRef() != null) {
            addIfSet(cms, f.getConfigMapRef().getName());
          }
          if (f.getSecretRef() != null) {
            addIfSet(secrets, f.getSecretRef().getName());
          }
        }
      }
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
            addIfSet(cms, e.getValueFrom().getConfigMapKeyRef().getName());
          }
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            addIfSet(secrets, e.getValueFrom().getSecretKeyRef().getName());
          }
        }
      }
    }
    return List.of(cms, secrets);
  }

  private static void addIfSet(TreeSet<String> set, String name) {
    if (name != null && !name.isEmpty()) {
      set.add(name);
    }
  }

  /** Every volume's files, keyed by volume name; throws for the first volume that cannot be set up. */
  static Map<String, Map<String, String>> render(Pod pod, EnvVars.Sources src) throws MountError {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (pod.getSpec().getVolumes() == null) {
      return out;
    }
    for (Volume v : pod.getSpec().getVolumes()) {
      Map<String, String> files = new LinkedHashMap<>();
      if (v.getConfigMap() != null) {
        var ref = v.getConfigMap();
        ConfigMap cm = src.configMaps().apply(ref.getName());
        if (cm == null) {
          if (!Boolean.TRUE.equals(ref.getOptional())) {
            throw new MountError(v.getName(), "MountVolume.SetUp failed for volume \"" + v.getName()
                + "\" : configmap \"" + ref.getName() + "\" not found");
          }
        } else {
          project(files, configMapData(cm), ref.getItems(), v.getName(), "configmap", ref.getName(),
              ref.getOptional());
        }
      } else if (v.getSecret() != null) {
        var ref = v.getSecret();
        Secret s = src.secrets().apply(ref.getSecretName());
        if (s == null) {
          if (!Boolean.TRUE.equals(ref.getOptional())) {
            throw new MountError(v.getName(), "MountVolume.SetUp failed for volume \"" + v.getName()
                + "\" : secret \"" + ref.getSecretName() + "\" not found");
          }
        } else {
          project(files, EnvVars.secretData(s), ref.getItems(), v.getName(), "secret", ref.getSecretName(),
              ref.getOptional());
        }
      } else if (v.getDownwardAPI() != null) {
        downward(files, v.getDownwardAPI().getItems(), pod, src);
      } else if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (p.getConfigMap() != null) {
            ConfigMap cm = src.configMaps().apply(p.getConfigMap().getName());
            if (cm == null) {
              if (!Boolean.TRUE.equals(p.getConfigMap().getOptional())) {
                throw new MountError(v.getName(), "MountVolume.SetUp failed for volume \"" + v.getName()
                    + "\" : configmap \"" + p.getConfigMap().getName() + "\" not found");
              }
            } else {
              project(files, configMapData(cm), p.getConfigMap().getItems(), v.getName(), "configmap",
                  p.getConfigMap().getName(), p.getConfigMap().getOptional());
            }
          } else if (p.getSecret() != null) {
            Secret s = src.secrets().apply(p.getSecret().getName());
            if (s == null) {
              if (!Boolean.TRUE.equals(p.getSecret().getOptional())) {
                throw new MountError(v.getName(), "MountVolume.SetUp failed for volume \"" + v.getName()
                    + "\" : secret \"" + p.getSecret().getName() + "\" not found");
              }
            } else {
              project(files, EnvVars.secretData(s), p.getSecret().getItems(), v.getName(), "secret",
                  p.getSecret().getName(), p.getSecret().getOptional());
            }
          } else if (p.getDownwardAPI() != null) {
            downward(files, p.getDownwardAPI().getItems(), pod, src);
          } else if (p.getServiceAccountToken() != null) {
            files.put(p.getServiceAccountToken().getPath(), token(pod));
          }
        }
      }
      out.put(v.getName(), files);
    }
    return out;
  }

  /** Where a pod's service account credentials are mounted (the ServiceAccount admission plugin's path). */
  static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * The files of the projected kube-api-access volume that ServiceAccount admission gives every pod
   * that does not opt out (automountServiceAccountToken: false): the token, the cluster's CA and the
   * pod's namespace. Mounted here when the pod spec has no volume at that path, so that scripts such
   * as the docs' {@code $(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)} work.
   */
  static ContainerRuntime.Mount serviceAccountMount(Pod pod, Container c) {
    if (Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())) {
      return null;
    }
    if (c.getVolumeMounts() != null) {
      for (VolumeMount vm : c.getVolumeMounts()) {
        if (SERVICE_ACCOUNT_PATH.equals(vm.getMountPath())) {
          return null;
        }
      }
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put("token", token(pod));
    files.put("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIBADAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwprdWJlcm5ldGVz\n"
        + "-----END CERTIFICATE-----\n");
    files.put("namespace", pod.getMetadata().getNamespace());
    return new ContainerRuntime.Mount("kube-api-access", SERVICE_ACCOUNT_PATH, files, true);
  }

  /** The mounts of one container: each volumeMount with its volume's files (subPath picks part of them). */
  static List<ContainerRuntime.Mount> mounts(Pod pod, Container c, Map<String, Map<String, String>> volumes) {
    List<ContainerRuntime.Mount> out = new ArrayList<>();
    ContainerRuntime.Mount sa = serviceAccountMount(pod, c);
    if (sa != null) {
      out.add(sa);
    }
    if (c.getVolumeMounts() == null) {
      return out;
    }
    for (VolumeMount vm : c.getVolumeMounts()) {
      Map<String, String> files = volumes.getOrDefault(vm.getName(), Map.of());
      Volume v = volume(pod, vm.getName());
      boolean atomic = v != null && (v.getConfigMap() != null || v.getSecret() != null || v.getDownwardAPI() != null
          || v.getProjected() != null);
      String sub = vm.getSubPath();
      if (sub != null && !sub.isEmpty()) {
        if (files.containsKey(sub)) {
          // A single file mounted at mountPath: represented as the file's name inside its parent.
          String path = vm.getMountPath();
          int slash = path.lastIndexOf('/');
          out.add(new ContainerRuntime.Mount(vm.getName(), slash <= 0 ? "/" : path.substring(0, slash),
              Map.of(path.substring(slash + 1), files.get(sub)), false));
          continue;
        }
        Map<String, String> part = new LinkedHashMap<>();
        files.forEach((k, val) -> {
          if (k.startsWith(sub + "/")) {
            part.put(k.substring(sub.length() + 1), val);
          }
        });
        files = part;
      }
      out.add(new ContainerRuntime.Mount(vm.getName(), vm.getMountPath(), files,
          atomic || Boolean.TRUE.equals(vm.getReadOnly())));
    }
    return out;
  }

  /** status.containerStatuses[].volumeMounts, as the kubelet reports them. */
  static List<VolumeMountStatus> mountStatuses(Container c) {
    List<VolumeMountStatus> out = new ArrayList<>();
    if (c.getVolumeMounts() == null) {
      return out;
    }
    for (VolumeMount vm : c.getVolumeMounts()) {
      VolumeMountStatus s = new VolumeMountStatus();
      s.setName(vm.getName());
      s.setMountPath(vm.getMountPath());
      if (Boolean.TRUE.equals(vm.getReadOnly())) {
        s.setReadOnly(true);
        s.setRecursiveReadOnly("Disabled");
      }
      out.add(s);
    }
    return out;
  }

  private static Volume volume(Pod pod, String name) {
    if (pod.getSpec().getVolumes() != null) {
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getName().equals(name)) {
          return v;
        }
      }
    }
    return null;
  }

  private static Map<String, String> configMapData(ConfigMap cm) {
    Map<String, String> data = new LinkedHashMap<>();
    if (cm.getData() != null) {
      data.putAll(cm.getData());
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData().forEach((k, v) -> {
        try {
          data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
          data.put(k, v);
        }
      });
    }
    return data;
  }

  private static void project(Map<String, String> files, Map<String, String> data, List<KeyToPath> items,
      String volume, String kind, String name, Boolean optional) throws MountError {
    if (items == null || items.isEmpty()) {
      files.putAll(data);
      return;
    }
    for (KeyToPath item : items) {
      String v = data.get(item.getKey());
      if (v == null) {
        if (Boolean.TRUE.equals(optional)) {
          continue;
        }
        throw new MountError(volume, "MountVolume.SetUp failed for volume \"" + volume + "\" : configmap references "
            + "non-existent config key: " + item.getKey());
      }
      files.put(item.getPath(), v);
    }
  }

  private static void downward(Map<String, String> files, List<DownwardAPIVolumeFile> items, Pod pod,
      EnvVars.Sources src) {
    if (items == null) {
      return;
    }
    for (DownwardAPIVolumeFile f : items) {
      String value = "";
      if (f.getFieldRef() != null) {
        value = EnvVars.fieldRef(f.getFieldRef(), src);
      } else if (f.getResourceFieldRef() != null) {
        Container target = pod.getSpec().getContainers().get(0);
        for (Container c : pod.getSpec().getContainers()) {
          if (c.getName().equals(f.getResourceFieldRef().getContainerName())) {
            target = c;
          }
        }
        value = EnvVars.resourceFieldRef(f.getResourceFieldRef(), target, src);
      }
      files.put(f.getPath(), value);
    }
  }

  /** A service account token's shape (header.payload.signature); the simulation issues no real credentials. */
  private static String token(Pod pod) {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"RS256\",\"kid\":\"kubesim\"}".getBytes(StandardCharsets.UTF_8));
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"https://kubernetes.default."
        + "svc.cluster.local\",\"sub\":\"system:serviceaccount:" + pod.getMetadata().getNamespace() + ":"
        + pod.getSpec().getServiceAccountName() + "\"}").getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".c2ltdWxhdGVk";
  }
}
