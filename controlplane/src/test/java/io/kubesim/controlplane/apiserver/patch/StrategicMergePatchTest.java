package io.kubesim.controlplane.apiserver.patch;

import static io.kubesim.controlplane.apiserver.patch.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class StrategicMergePatchTest {

  static final PatchSchema POD = PatchSchemas.forKind("v1", "Pod");
  static final PatchSchema NODE = PatchSchemas.forKind("v1", "Node");
  static final PatchSchema DEPLOYMENT = PatchSchemas.forKind("apps/v1", "Deployment");
  static final PatchSchema PDB = PatchSchemas.forKind("policy/v1", "PodDisruptionBudget");
  static final PatchSchema CRD_LIKE = PatchSchemas.forKind("example.com/v1", "Widget");

  static Stream<Arguments> cases() {
    return Stream.of(
        // objects and null
        Arguments.of("null deletes a key", POD,
            "{'metadata':{'name':'p','labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'a':null}}}",
            "{'metadata':{'name':'p','labels':{'b':'2'}}}"),
        Arguments.of("null for a missing key is ignored", POD,
            "{'spec':{'nodeName':'n1'}}",
            "{'spec':{'hostname':null}}",
            "{'spec':{'nodeName':'n1'}}"),
        Arguments.of("objects merge recursively", POD,
            "{'spec':{'securityContext':{'runAsUser':1000}}}",
            "{'spec':{'securityContext':{'fsGroup':2000}}}",
            "{'spec':{'securityContext':{'runAsUser':1000,'fsGroup':2000}}}"),
        Arguments.of("a change of type replaces", POD,
            "{'spec':{'x':'text'}}",
            "{'spec':{'x':{'a':1}}}",
            "{'spec':{'x':{'a':1}}}"),
        Arguments.of("an empty patch changes nothing", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}",
            "{}",
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}"),

        // lists with strategy merge
        Arguments.of("containers merge by name", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
            "{'spec':{'containers':[{'name':'b','image':'z'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}}"),
        Arguments.of("without $setElementOrder a new element goes first, as in Go", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'w'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'w'},{'name':'a','image':'x'}]}}"),
        Arguments.of("ports merge by containerPort and env by name inside a container", POD,
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'}],"
                + "'env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'}],"
                + "'env':[{'name':'Y','value':'3'}]}]}}",
            "{'spec':{'containers':[{'name':'a',"
                + "'ports':[{'containerPort':80,'protocol':'TCP','name':'http'}],"
                + "'env':[{'name':'X','value':'1'},{'name':'Y','value':'3'}]}]}}"),
        Arguments.of("volumeMounts merge by mountPath", POD,
            "{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'d','mountPath':'/d'}]}]}}",
            "{'spec':{'containers':[{'name':'a','volumeMounts':[{'mountPath':'/d','readOnly':true}]}]}}",
            "{'spec':{'containers':[{'name':'a',"
                + "'volumeMounts':[{'name':'d','mountPath':'/d','readOnly':true}]}]}}"),
        Arguments.of("finalizers are a set", POD,
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['b','c']}}",
            "{'metadata':{'finalizers':['a','b','c']}}"),
        Arguments.of("ownerReferences merge by uid", POD,
            "{'metadata':{'ownerReferences':[{'uid':'u1','kind':'ReplicaSet','name':'rs'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','controller':true}]}}",
            "{'metadata':{'ownerReferences':"
                + "[{'uid':'u1','kind':'ReplicaSet','name':'rs','controller':true}]}}"),
        Arguments.of("node conditions merge by type", NODE,
            "{'status':{'conditions':[{'type':'Ready','status':'False'},"
                + "{'type':'DiskPressure','status':'False'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'},"
                + "{'type':'DiskPressure','status':'False'}]}}"),

        // lists without strategy
        Arguments.of("tolerations have no strategy and are replaced", POD,
            "{'spec':{'tolerations':[{'key':'a','operator':'Exists'}]}}",
            "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}",
            "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}"),
        Arguments.of("node taints have no strategy and are replaced", NODE,
            "{'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}}",
            "{'spec':{'taints':[{'key':'b','effect':'NoExecute'}]}}",
            "{'spec':{'taints':[{'key':'b','effect':'NoExecute'}]}}"),
        Arguments.of("a replace strategy replaces an object (PDB selector)", PDB,
            "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}",
            "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
            "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}"),
        Arguments.of("a kind without schema: lists replace, objects merge", CRD_LIKE,
            "{'spec':{'items':[{'name':'a'}],'x':{'y':1},'finalizers':['f']}}",
            "{'spec':{'items':[{'name':'b'}],'x':{'z':2},'finalizers':['g']}}",
            "{'spec':{'items':[{'name':'b'}],'x':{'y':1,'z':2},'finalizers':['g']}}"),

        // $patch
        Arguments.of("$patch: replace on an object", POD,
            "{'metadata':{'labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}",
            "{'metadata':{'labels':{'c':'3'}}}"),
        Arguments.of("$patch: replace on a list", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
            "{'spec':{'containers':[{'$patch':'replace'},{'name':'c','image':'w'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'w'}]}}"),
        Arguments.of("$patch: replace alone empties a list", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}",
            "{'spec':{'containers':[{'$patch':'replace'}]}}",
            "{'spec':{'containers':[]}}"),
        Arguments.of("$patch: delete on an object leaves it empty", POD,
            "{'spec':{'securityContext':{'runAsUser':1000}}}",
            "{'spec':{'securityContext':{'$patch':'delete'}}}",
            "{'spec':{'securityContext':{}}}"),
        Arguments.of("$patch: delete at the root empties the object", POD,
            "{'metadata':{'name':'p'}}",
            "{'$patch':'delete'}",
            "{}"),
        Arguments.of("$patch: delete removes a list element by merge key", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
            "{'spec':{'containers':[{'$patch':'delete','name':'a'}]}}",
            "{'spec':{'containers':[{'name':'b','image':'y'}]}}"),
        Arguments.of("$patch: delete of a missing element changes nothing", POD,
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}",
            "{'spec':{'containers':[{'$patch':'delete','name':'zz'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}"),

        // $setElementOrder
        Arguments.of("$setElementOrder orders the list; server-only elements keep their place",
            POD,
            "{'spec':{'containers':[{'name':'a'},{'name':'s'},{'name':'b','image':'b1'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
                + "'containers':[{'name':'b','image':'b2'}]}}",
            "{'spec':{'containers':[{'name':'s'},{'name':'b','image':'b2'},{'name':'a'}]}}"),
        Arguments.of("$setElementOrder alone reorders", POD,
            "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'b'},{'name':'a'}]}}",
            "{'spec':{'containers':[{'name':'c'},{'name':'b'},{'name':'a'}]}}"),
        Arguments.of("$setElementOrder on a primitive list", POD,
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'$setElementOrder/finalizers':['c','a','b'],'finalizers':['c']}}",
            "{'metadata':{'finalizers':['c','a','b']}}"),
        Arguments.of("a deletion then an addition shift the order $setElementOrder sees, as in Go",
            POD,
            "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'d'}],"
                + "'containers':[{'name':'d'},{'$patch':'delete','name':'a'}]}}",
            "{'spec':{'containers':[{'name':'b'},{'name':'c'},{'name':'d'}]}}"),
        Arguments.of("$setElementOrder with a list the original lacks", POD,
            "{'spec':{}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                + "'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}"),

        // $retainKeys
        Arguments.of("$retainKeys clears unlisted keys (Deployment strategy)", DEPLOYMENT,
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"),
        Arguments.of("$retainKeys switches the source of a volume", POD,
            "{'spec':{'volumes':[{'name':'data','emptyDir':{}},{'name':'cache','emptyDir':{}}]}}",
            "{'spec':{'$setElementOrder/volumes':[{'name':'data'},{'name':'cache'}],"
                + "'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cfg'},"
                + "'name':'data'}]}}",
            "{'spec':{'volumes':[{'name':'data','configMap':{'name':'cfg'}},"
                + "{'name':'cache','emptyDir':{}}]}}"),

        // $deleteFromPrimitiveList
        Arguments.of("$deleteFromPrimitiveList removes values", POD,
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'metadata':{'finalizers':['a','c']}}"),
        Arguments.of("$deleteFromPrimitiveList on a missing list adds nothing", POD,
            "{'metadata':{'name':'x'}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'metadata':{'name':'x'}}"),
        Arguments.of("$deleteFromPrimitiveList works on lists without strategy too", POD,
            "{'spec':{'containers':[{'name':'a','args':['-v','-q']}]}}",
            "{'spec':{'containers':[{'name':'a','$deleteFromPrimitiveList/args':['-q']}]}}",
            "{'spec':{'containers':[{'name':'a','args':['-v']}]}}"),
        Arguments.of("add and delete in one primitive list", POD,
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a'],'finalizers':['c']}}",
            "{'metadata':{'finalizers':['c','b']}}"),

        // values the original lacks are taken without nulls and directives
        Arguments.of("nulls and directive keys do not leak into new values", POD,
            "{'spec':{}}",
            "{'spec':{'containers':[{'name':'a','image':'x','args':null,"
                + "'$setElementOrder/env':[{'name':'E'}]}]}}",
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}"),
        Arguments.of("a new object carrying $patch is dropped, as in Go", POD,
            "{'spec':{}}",
            "{'spec':{'securityContext':{'$patch':'replace','runAsUser':1}}}",
            "{'spec':{}}"),
        Arguments.of("a new list drops elements carrying $patch", POD,
            "{'spec':{}}",
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','$patch':'delete'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'x'}]}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(String name, PatchSchema schema, String original, String patch, String expected) {
    assertThat(StrategicMergePatch.apply(json(original), json(patch), schema))
        .isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void leavesItsInputsAlone(String name, PatchSchema schema, String original, String patch,
      String expected) {
    JsonNode o = json(original);
    JsonNode p = json(patch);
    JsonNode result = StrategicMergePatch.apply(o, p, schema);
    // the result shares no node with the inputs: wrecking it leaves them as they were
    wreck(result);
    assertThat(o).isEqualTo(json(original));
    assertThat(p).isEqualTo(json(patch));
  }

  private static void wreck(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().stream().map(Map.Entry::getValue).toList()
          .forEach(StrategicMergePatchTest::wreck);
      object.removeAll().put("wrecked", true);
    } else if (node instanceof ArrayNode array) {
      array.forEach(StrategicMergePatchTest::wreck);
      array.removeAll().add("wrecked");
    }
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("$patch: merge on an object", POD,
            "{'spec':{'securityContext':{'runAsUser':1}}}",
            "{'spec':{'securityContext':{'$patch':'merge','fsGroup':1}}}",
            "unknown patch directive \"$patch\": \"merge\""),
        Arguments.of("$patch: merge in a list", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'containers':[{'$patch':'merge'}]}}",
            "merging lists cannot yet be specified in the patch"),
        Arguments.of("unknown $patch on an object", POD,
            "{'spec':{'nodeName':'n'}}",
            "{'spec':{'$patch':'frobnicate'}}",
            "unknown patch directive \"$patch\": \"frobnicate\" in the object at spec"),
        Arguments.of("unknown $patch in a list", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'containers':[{'$patch':'frobnicate','name':'a'}]}}",
            "unknown patch directive \"$patch\": \"frobnicate\" in an element of the list at "
                + "spec.containers"),
        Arguments.of("an element without its merge key", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'containers':[{'image':'x'}]}}",
            "does not contain declared merge key: name"),
        Arguments.of("a deletion without its merge key", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'containers':[{'$patch':'delete','image':'x'}]}}",
            "does not contain declared merge key: name"),
        Arguments.of("$setElementOrder contradicting the patch list", POD,
            "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                + "'containers':[{'name':'b','image':'y'},{'name':'a','image':'x'}]}}",
            "doesn't match its $setElementOrder list"),
        Arguments.of("$setElementOrder that is not a list", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'$setElementOrder/containers':{'name':'a'}}}",
            "invalid patch format of setElementOrder list"),
        Arguments.of("$setElementOrder key without a field", POD,
            "{'spec':{'containers':[{'name':'a'}]}}",
            "{'spec':{'$setElementOrdercontainers':[{'name':'a'}]}}",
            "invalid patch format of setElementOrder list"),
        Arguments.of("$setElementOrder over two empty lists", POD,
            "{'spec':{}}",
            "{'spec':{'$setElementOrder/containers':[],'containers':[]}}",
            "no elements in any of the given lists"),
        Arguments.of("$deleteFromPrimitiveList key without a field", POD,
            "{'metadata':{'finalizers':['a']}}",
            "{'metadata':{'$deleteFromPrimitiveListfinalizers':['a']}}",
            "invalid patch format of primitive list"),
        Arguments.of("$retainKeys not naming a patched key", DEPLOYMENT,
            "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'RollingUpdate',"
                + "'rollingUpdate':{'maxSurge':1}}}}",
            "invalid patch format of retainKeys: the patch sets \"rollingUpdate\""),
        Arguments.of("$retainKeys that is not a list", DEPLOYMENT,
            "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
            "{'spec':{'strategy':{'$retainKeys':'type'}}}",
            "invalid patch format of retainKeys"),
        Arguments.of("mixed element types in a merging list", POD,
            "{'metadata':{'finalizers':['a']}}",
            "{'metadata':{'finalizers':[1]}}",
            "list element types are not identical at metadata.finalizers"),
        Arguments.of("a list of lists", POD,
            "{'metadata':{'finalizers':[['a']]}}",
            "{'metadata':{'finalizers':[['b']]}}",
            "lists of lists are not supported"),
        Arguments.of("a patch that is not an object", POD,
            "{}", "[1]", "the patch must be a JSON object"),
        Arguments.of("an original that is not an object", POD,
            "'text'", "{}", "the original document must be a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void refuses(String name, PatchSchema schema, String original, String patch, String message) {
    assertThatThrownBy(() -> StrategicMergePatch.apply(json(original), json(patch), schema))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aMissingOriginalIsAnEmptyObjectAndANullPatchChangesNothing() {
    assertThat(StrategicMergePatch.apply(null, json("{'a':{'b':null,'c':1}}"), POD))
        .isEqualTo(json("{'a':{'c':1}}"));
    assertThat(StrategicMergePatch.apply(json("{'a':1}"), null, POD)).isEqualTo(json("{'a':1}"));
    assertThat(StrategicMergePatch.apply(json("{'a':1}"), json("null"), POD))
        .isEqualTo(json("{'a':1}"));
  }

  @Test
  void withoutStrategiesItAgreesWithMergePatchOnObjects() {
    String original = "{'a':{'b':[1,2],'c':{'d':1}},'e':'x','f':[{'n':1}]}";
    String patch = "{'a':{'b':[3],'c':{'d':null,'g':2}},'e':null,'f':[{'n':2}],'h':{'i':null}}";
    assertThat(StrategicMergePatch.apply(json(original), json(patch), PatchSchema.NONE))
        .isEqualTo(MergePatch.apply(json(original), json(patch)));
  }
}
