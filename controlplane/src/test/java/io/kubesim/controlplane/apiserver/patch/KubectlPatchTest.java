package io.kubesim.controlplane.apiserver.patch;

import static io.kubesim.controlplane.apiserver.patch.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strategic merge patches kubectl, the kubelet and controllers send, on live objects. */
class KubectlPatchTest {

  static final String DEPLOYMENT = """
      {'apiVersion':'apps/v1','kind':'Deployment',
       'metadata':{'name':'api','namespace':'default','generation':1,
         'annotations':{'deployment.kubernetes.io/revision':'1',
           'kubectl.kubernetes.io/last-applied-configuration':'old'}},
       'spec':{'replicas':2,'selector':{'matchLabels':{'app':'api'}},
         'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
         'template':{'metadata':{'labels':{'app':'api'}},
           'spec':{'restartPolicy':'Always',
             'containers':[
               {'name':'api','image':'nginx:1.25','args':['-v'],
                'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':8080,'protocol':'TCP'}],
                'env':[{'name':'MODE','value':'prod'}],'resources':{}},
               {'name':'log','image':'busybox:1.36'}]}}},
       'status':{'replicas':2,'conditions':[{'type':'Available','status':'True'}]}}
      """;

  static final String NODE = """
      {'apiVersion':'v1','kind':'Node',
       'metadata':{'name':'n1','labels':{'kubernetes.io/hostname':'n1'}},
       'spec':{'podCIDR':'10.244.1.0/24','podCIDRs':['10.244.1.0/24']},
       'status':{
         'conditions':[
           {'type':'MemoryPressure','status':'False','lastHeartbeatTime':'2026-01-01T00:00:00Z'},
           {'type':'DiskPressure','status':'False','lastHeartbeatTime':'2026-01-01T00:00:00Z'},
           {'type':'PIDPressure','status':'False','lastHeartbeatTime':'2026-01-01T00:00:00Z'},
           {'type':'Ready','status':'True','lastHeartbeatTime':'2026-01-01T00:00:00Z'}],
         'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'n1'}]}}
      """;

  static final String TAINTED_NODE = """
      {'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'},
       'spec':{'unschedulable':true,
         'taints':[{'key':'dedicated','value':'gpu','effect':'NoSchedule'}]}}
      """;

  static final String SERVICE = """
      {'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},
       'spec':{'type':'ClusterIP','clusterIP':'10.96.0.10','selector':{'app':'web'},
         'ports':[{'name':'http','port':80,'targetPort':8080,'protocol':'TCP'},
                  {'name':'https','port':443,'targetPort':8443,'protocol':'TCP'}]}}
      """;

  static final String PVC = """
      {'apiVersion':'v1','kind':'PersistentVolumeClaim',
       'metadata':{'name':'data','finalizers':['kubernetes.io/pvc-protection','example.com/backup']},
       'spec':{'accessModes':['ReadWriteOnce']}}
      """;

  /** The Deployment with {@code edit} applied by MergePatch, to state expectations briefly. */
  static String deploymentWith(String edit) {
    return MergePatch.apply(json(DEPLOYMENT), json(edit)).toString();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("kubectl apply: new image and replicas", "apps/v1", "Deployment", DEPLOYMENT,
            "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},"
                + "'spec':{'replicas':3,'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'api'},{'name':'log'}],"
                + "'containers':[{'image':'nginx:1.26','name':'api'}]}}}}",
            replaceContainers(
                "{'metadata':{'annotations':"
                    + "{'kubectl.kubernetes.io/last-applied-configuration':'new'}},"
                    + "'spec':{'replicas':3}}",
                "{'name':'api','image':'nginx:1.26','args':['-v'],"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                    + "{'containerPort':8080,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'}],'resources':{}}",
                "{'name':'log','image':'busybox:1.36'}")),
        Arguments.of("kubectl apply: an env var and a container added", "apps/v1", "Deployment",
            DEPLOYMENT,
            "{'spec':{'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'api'},{'name':'log'},{'name':'proxy'}],"
                + "'containers':[{'$setElementOrder/env':[{'name':'MODE'},{'name':'LEVEL'}],"
                + "'env':[{'name':'LEVEL','value':'debug'}],'name':'api'},"
                + "{'image':'envoy:1.30','name':'proxy'}]}}}}",
            replaceContainers("{}",
                "{'name':'api','image':'nginx:1.25','args':['-v'],"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                    + "{'containerPort':8080,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'},{'name':'LEVEL','value':'debug'}],"
                    + "'resources':{}}",
                "{'name':'log','image':'busybox:1.36'}",
                "{'name':'proxy','image':'envoy:1.30'}")),
        Arguments.of("kubectl apply: a container removed", "apps/v1", "Deployment", DEPLOYMENT,
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'api'}],"
                + "'containers':[{'$patch':'delete','name':'log'}]}}}}",
            replaceContainers("{}",
                "{'name':'api','image':'nginx:1.25','args':['-v'],"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                    + "{'containerPort':8080,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'}],'resources':{}}")),
        Arguments.of("kubectl apply: a field dropped from the configuration", "apps/v1",
            "Deployment", DEPLOYMENT,
            "{'spec':{'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'api'},{'name':'log'}],"
                + "'containers':[{'args':null,'name':'api'}]}}}}",
            replaceContainers("{}",
                "{'name':'api','image':'nginx:1.25',"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                    + "{'containerPort':8080,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'}],'resources':{}}",
                "{'name':'log','image':'busybox:1.36'}")),
        Arguments.of("kubectl apply: strategy switched to Recreate", "apps/v1", "Deployment",
            DEPLOYMENT,
            "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}",
            deploymentWith("{'spec':{'strategy':{'type':'Recreate','rollingUpdate':null}}}")),
        Arguments.of("kubectl set image", "apps/v1", "Deployment", DEPLOYMENT,
            "{'spec':{'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'api'},{'name':'log'}],"
                + "'containers':[{'image':'nginx:1.27','name':'api'}]}}}}",
            replaceContainers("{}",
                "{'name':'api','image':'nginx:1.27','args':['-v'],"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},"
                    + "{'containerPort':8080,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'}],'resources':{}}",
                "{'name':'log','image':'busybox:1.36'}")),
        Arguments.of("kubectl rollout restart", "apps/v1", "Deployment", DEPLOYMENT,
            "{'spec':{'template':{'metadata':{'annotations':"
                + "{'kubectl.kubernetes.io/restartedAt':'2026-01-01T00:00:00Z'}}}}}",
            deploymentWith("{'spec':{'template':{'metadata':{'annotations':"
                + "{'kubectl.kubernetes.io/restartedAt':'2026-01-01T00:00:00Z'}}}}}")),
        Arguments.of("kubectl rollout pause", "apps/v1", "Deployment", DEPLOYMENT,
            "{'spec':{'paused':true}}",
            deploymentWith("{'spec':{'paused':true}}")),
        Arguments.of("kubectl rollout resume", "apps/v1", "Deployment",
            deploymentWith("{'spec':{'paused':true}}"),
            "{'spec':{'paused':null}}",
            DEPLOYMENT),
        Arguments.of("kubectl patch: a container port deleted", "apps/v1", "Deployment",
            DEPLOYMENT,
            "{'spec':{'template':{'spec':{'containers':[{'name':'api',"
                + "'ports':[{'$patch':'delete','containerPort':8080}]}]}}}}",
            replaceContainers("{}",
                "{'name':'api','image':'nginx:1.25','args':['-v'],"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'}],"
                    + "'env':[{'name':'MODE','value':'prod'}],'resources':{}}",
                "{'name':'log','image':'busybox:1.36'}")),
        Arguments.of("kubectl taint: the first taint", "v1", "Node", NODE,
            "{'spec':{'taints':[{'effect':'NoSchedule','key':'dedicated','value':'gpu'}]}}",
            MergePatch.apply(json(NODE), json("{'spec':{'taints':"
                + "[{'effect':'NoSchedule','key':'dedicated','value':'gpu'}]}}")).toString()),
        Arguments.of("kubectl taint: the whole new list replaces the old", "v1", "Node",
            TAINTED_NODE,
            "{'spec':{'taints':[{'effect':'NoSchedule','key':'dedicated','value':'gpu'},"
                + "{'effect':'NoExecute','key':'maintenance'}]}}",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'},"
                + "'spec':{'unschedulable':true,"
                + "'taints':[{'key':'dedicated','value':'gpu','effect':'NoSchedule'},"
                + "{'key':'maintenance','effect':'NoExecute'}]}}"),
        Arguments.of("kubectl taint dedicated-: the last taint removed", "v1", "Node",
            TAINTED_NODE,
            "{'spec':{'taints':null}}",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'},"
                + "'spec':{'unschedulable':true}}"),
        Arguments.of("kubectl cordon", "v1", "Node", NODE,
            "{'spec':{'unschedulable':true}}",
            MergePatch.apply(json(NODE), json("{'spec':{'unschedulable':true}}")).toString()),
        Arguments.of("kubectl uncordon", "v1", "Node", TAINTED_NODE,
            "{'spec':{'unschedulable':null}}",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'},"
                + "'spec':{'taints':[{'key':'dedicated','value':'gpu','effect':'NoSchedule'}]}}"),
        Arguments.of("kubelet node status heartbeat", "v1", "Node", NODE,
            "{'status':{'$setElementOrder/conditions':[{'type':'MemoryPressure'},"
                + "{'type':'DiskPressure'},{'type':'PIDPressure'},{'type':'Ready'}],"
                + "'conditions':[{'lastHeartbeatTime':'2026-01-01T00:00:40Z','type':'Ready'}]}}",
            NODE.replace("'Ready','status':'True','lastHeartbeatTime':'2026-01-01T00:00:00Z'",
                "'Ready','status':'True','lastHeartbeatTime':'2026-01-01T00:00:40Z'")),
        Arguments.of("kubectl apply on a Service: a port changed by port number", "v1", "Service",
            SERVICE,
            "{'spec':{'$setElementOrder/ports':[{'port':80},{'port':443}],"
                + "'ports':[{'port':80,'targetPort':8081}]}}",
            SERVICE.replace("'port':80,'targetPort':8080", "'port':80,'targetPort':8081")),
        Arguments.of("a controller removes its finalizer", "v1", "PersistentVolumeClaim", PVC,
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['example.com/backup']}}",
            PVC.replace(",'example.com/backup'", "")),
        Arguments.of("kubectl label on a Pod (merge patch body sent as strategic)", "v1", "Pod",
            "{'metadata':{'name':'p','labels':{'app':'web','tier':'front'}}}",
            "{'metadata':{'labels':{'tier':null,'track':'canary'}}}",
            "{'metadata':{'name':'p','labels':{'app':'web','track':'canary'}}}"));
  }

  /** The Deployment with {@code edit} merged in and its containers set to {@code containers}. */
  static String replaceContainers(String edit, String... containers) {
    String list = "[" + String.join(",", containers) + "]";
    return MergePatch.apply(json(deploymentWith(edit)),
        json("{'spec':{'template':{'spec':{'containers':" + list + "}}}}")).toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(String name, String apiVersion, String kind, String live, String patch,
      String expected) {
    PatchSchema schema = PatchSchemas.forKind(apiVersion, kind);
    assertThat(StrategicMergePatch.apply(json(live), json(patch), schema))
        .isEqualTo(json(expected));
  }
}
