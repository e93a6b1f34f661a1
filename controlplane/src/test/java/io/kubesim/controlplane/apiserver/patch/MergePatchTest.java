package io.kubesim.controlplane.apiserver.patch;

import static io.kubesim.controlplane.apiserver.patch.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // the examples of RFC 7386, appendix A
        Arguments.of("replace a value", "{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
        Arguments.of("add a key", "{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
        Arguments.of("null removes the only key", "{'a':'b'}", "{'a':null}", "{}"),
        Arguments.of("null removes a key", "{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
        Arguments.of("scalar replaces array", "{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
        Arguments.of("array replaces scalar", "{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
        Arguments.of("nested merge and delete", "{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}",
            "{'a':{'b':'d'}}"),
        Arguments.of("arrays replace whole", "{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
        Arguments.of("array patch replaces array", "['a','b']", "['c','d']", "['c','d']"),
        Arguments.of("array patch replaces object", "{'a':'b'}", "['c']", "['c']"),
        Arguments.of("null patch replaces all", "{'a':'foo'}", "null", "null"),
        Arguments.of("string patch replaces all", "{'a':'foo'}", "'bar'", "'bar'"),
        Arguments.of("nulls in the target stay", "{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
        Arguments.of("object patch on an array target", "[1,2]", "{'a':'b','c':null}",
            "{'a':'b'}"),
        Arguments.of("nulls inside added objects vanish", "{}", "{'a':{'bb':{'ccc':null}}}",
            "{'a':{'bb':{}}}"),
        // what kubectl sends with --type=merge, and kubectl label / annotate
        Arguments.of("kubectl label",
            "{'metadata':{'name':'web','labels':{'app':'web'}}}",
            "{'metadata':{'labels':{'tier':'front'}}}",
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'front'}}}"),
        Arguments.of("kubectl label tier-",
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'front'}}}",
            "{'metadata':{'labels':{'tier':null}}}",
            "{'metadata':{'name':'web','labels':{'app':'web'}}}"),
        Arguments.of("merge patch replaces the containers list",
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'z'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'z'}]}}"),
        Arguments.of("empty patch changes nothing", "{'a':{'b':1}}", "{}", "{'a':{'b':1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(String name, String target, String patch, String expected) {
    assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void leavesItsInputsAlone(String name, String target, String patch, String expected) {
    JsonNode t = json(target);
    JsonNode p = json(patch);
    JsonNode result = MergePatch.apply(t, p);
    assertThat(t).isEqualTo(json(target));
    assertThat(p).isEqualTo(json(patch));
    if (result.isContainer()) {
      // the result shares no node with the inputs
      assertThat(result).isNotSameAs(t).isNotSameAs(p);
    }
  }
}
