package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DifferingFieldsTest {
  @Test
  void nestedDifferencesAreNamedByPath() throws Exception {
    var m = Json.reader();
    var a = m.readTree("{\"seed\":1,\"roles\":{\"judge\":{\"t\":\"0.1\",\"n\":\"x\"}},\"p\":[1]}");
    var b = m.readTree("{\"seed\":2,\"roles\":{\"judge\":{\"t\":\"0.2\",\"n\":\"x\"}},\"p\":[2],"
        + "\"extra\":true}");
    assertEquals(List.of("seed", "roles.judge.t", "p", "extra"), RunDirectory.differingFields(a, b));
    assertEquals(List.of(), RunDirectory.differingFields(a, a));
  }
}
