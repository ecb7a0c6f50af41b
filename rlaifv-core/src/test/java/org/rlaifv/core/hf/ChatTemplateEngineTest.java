package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Jinja2 behaviour published templates rely on, against renders by Python's jinja2. */
class ChatTemplateEngineTest {

  @SuppressWarnings("unchecked")
  static Stream<Arguments> features() {
    Map<String, Object> golden = HfFixtures.golden("golden/jinja/features.json");
    return ((List<Map<String, Object>>) golden.get("features")).stream()
        .map(f -> Arguments.of(f.get("name"), f.get("template"), f.get("variables"), f.get("rendered")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("features")
  void rendersAsJinja2(String name, String template, Map<String, Object> variables, String expected) {
    ChatTemplate t = ChatTemplate.of(template, name, TokenizerConfig.empty()).withVariables(variables);
    assertEquals(expected, t.render(List.of(), false));
  }

  @Test
  void strftimeFollowsPython() {
    LocalDateTime t = LocalDateTime.of(2024, 7, 5, 14, 3, 9);
    assertEquals("05 Jul 2024", TemplateEngine.strftime(t, "%d %b %Y"));
    assertEquals("5 July 2024, Friday 02:03:09 PM, day 187 100%",
        TemplateEngine.strftime(t, "%-d %B %Y, %A %I:%M:%S %p, day %j 100%%"));
  }

  @Test
  void strftimeNowIsAvailable() {
    String year = Integer.toString(LocalDateTime.now().getYear());
    ChatTemplate t = ChatTemplate.of("{{ strftime_now('%Y') }}", "inline", TokenizerConfig.empty());
    assertEquals(year, t.render(List.of(), false));
  }

  @Test
  void floatsPrintAsPython() {
    assertEquals("1e-05", PyValues.floatRepr(1e-5, false));
    assertEquals("0.0001", PyValues.floatRepr(1e-4, false));
    assertEquals("1e+16", PyValues.floatRepr(1e16, false));
    assertEquals("1234567890123456.0", PyValues.floatRepr(1234567890123456.0, false));
    assertEquals("-2.5", PyValues.floatRepr(-2.5, false));
    assertEquals("NaN", PyValues.floatRepr(Double.NaN, true));
  }
}
