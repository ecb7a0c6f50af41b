package org.rlaifv.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LlmListParserTest {
  private final LlmListParser facts = new LlmListParser("### Facts:");

  @Test
  void readsTheReferenceFormat() {
    assertEquals(List.of("There is a cat.", "The cat is black."),
        facts.parse("### Facts:\n- There is a cat.\n- The cat is black.\n"));
  }

  @Test
  void survivesPreambleNumberingBulletsBlankLinesBoldAndTrailingJunk() {
    String out = """
        Sure! Here are the facts you asked for:

        **Facts:**
        1. **There is a cat.**

        2) The cat is black.
        * "The cat sits on a mat."
        \u2022 There is a `red` ball.
        (5) The ball is small.

        I hope this helps! Let me know if you need anything else.
        - this bullet comes after the remarks
        """;
    assertEquals(List.of("There is a cat.", "The cat is black.", "The cat sits on a mat.",
        "There is a red ball.", "The ball is small."), facts.parse(out));
  }

  @Test
  void readsBulletsWithoutAHeader() {
    assertEquals(List.of("a", "b"), facts.parse("Here you go\n- a\n- b\nThanks"));
    assertEquals(List.of("There is a dog."), facts.parse("1. There is a dog."));
  }

  @Test
  void readsAPlainListUnderTheHeader() {
    assertEquals(List.of("There is a cat.", "There is a dog."),
        facts.parse("### Facts\nThere is a cat.\nThere is a dog.\n\nHope this helps."));
  }

  @Test
  void stopsAtTheNextSection() {
    assertEquals(List.of("a fact"),
        facts.parse("### Facts:\n- a fact\n### Notes:\n- not a fact"));
  }

  @Test
  void takesTheLastListWhenThePromptIsEchoed() {
    String echoed = "Write:\n### Facts:\n- {fact 1}\n- {fact 2}\n- ...\n\nExample\n### Facts:\n"
        + "- example fact\n\n### Description:\nthe text\n### Facts:\n- real fact";
    assertEquals(List.of("real fact"), facts.parse(echoed));
  }

  @Test
  void junkGivesNothingAndIsCounted() {
    LlmListParser p = new LlmListParser("Facts");
    assertTrue(p.parse("I'm sorry, I cannot help with that.").isEmpty());
    assertTrue(p.parse("").isEmpty());
    assertTrue(p.parse(null).isEmpty());
    assertTrue(p.parse("### Facts:\n- ...\n- {fact}\n").isEmpty());
    assertTrue(p.parse("### Facts:\nNone.").isEmpty());
    assertTrue(p.parse("\n\n---\n***\n").isEmpty());
    assertEquals(List.of("x is y"), p.parse("- x is y"));
    assertEquals(7, p.outputs());
    assertEquals(6, p.emptyOutputs());
    assertEquals(1, p.items());
  }

  @Property(tries = 300)
  void neverThrowsOnArbitraryText(@ForAll String text) {
    List<String> items = new LlmListParser("Facts").parse(text);
    for (String item : items) {
      assertTrue(!item.isBlank());
    }
  }
}
