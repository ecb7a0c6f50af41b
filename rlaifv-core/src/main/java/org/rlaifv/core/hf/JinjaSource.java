package org.rlaifv.core.hf;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies Jinja2's lexer-level whitespace rules to a template source, so that the engine can
 * render the result without any whitespace handling of its own.
 *
 * <p>transformers compiles templates with {@code trim_blocks=True, lstrip_blocks=True} and Jinja2's
 * defaults otherwise. This reproduces, in source order: newline normalisation and the removal of
 * one trailing newline ({@code keep_trailing_newline=False}); {@code {%-}/{@code -%}} (and the
 * {@code {{-}, {@code {#-} forms) stripping all whitespace before/after a tag; {@code lstrip_blocks}
 * removing spaces and tabs between a line start and a block or comment tag (unless {@code {%+});
 * {@code trim_blocks} removing the first newline after a block or comment tag (unless
 * {@code +%}}). Comments are dropped and the markers removed from the tags. Tag ends are found as
 * Jinja2 finds them: outside string literals and brackets, so {@code {{ "}}" }}} is one tag.
 */
final class JinjaSource {
  private JinjaSource() {}

  private enum Kind { TEXT, VARIABLE, BLOCK, COMMENT }

  private static final class Part {
    final Kind kind;
    String text;
    char left;
    char right;
    boolean raw;

    Part(Kind kind, String text) {
      this.kind = kind;
      this.text = text;
    }
  }

  /**
   * Rewrites a template so that rendering it without whitespace control gives what Jinja2 with
   * trim_blocks and lstrip_blocks gives for the original.
   *
   * @param source the template as published
   * @return the equivalent template
   * @throws IllegalArgumentException naming the offset of an unterminated tag
   */
  static String normalize(String source) {
    String src = source.replace("\r\n", "\n").replace('\r', '\n');
    if (src.endsWith("\n")) {
      src = src.substring(0, src.length() - 1);
    }
    List<Part> parts = lex(src);
    // Whitespace rules, in source order; a text part is only ever shortened.
    boolean lineStarting = true;
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (p.kind == Kind.TEXT) {
        Part next = i + 1 < parts.size() ? parts.get(i + 1) : null;
        if (next != null) {
          if (next.left == '-') {
            p.text = PyStringMethods.strip(p.text, null, false, true);
          } else if (next.left != '+' && (next.kind == Kind.BLOCK || next.kind == Kind.COMMENT)) {
            int lineStart = p.text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && onlyBlanks(p.text, lineStart)) {
              p.text = p.text.substring(0, lineStart);
            }
          }
        }
        continue;
      }
      // A tag: it consumes whitespace from the following text, which may then start a line.
      lineStarting = false;
      Part next = i + 1 < parts.size() && parts.get(i + 1).kind == Kind.TEXT ? parts.get(i + 1) : null;
      if (next != null) {
        if (p.right == '-') {
          String after = PyStringMethods.strip(next.text, null, true, false);
          lineStarting = next.text.length() > after.length()
              && next.text.charAt(next.text.length() - after.length() - 1) == '\n';
          next.text = after;
        } else if (p.right != '+' && (p.kind == Kind.BLOCK || p.kind == Kind.COMMENT) && next.text.startsWith("\n")) {
          next.text = next.text.substring(1);
          lineStarting = true;
        }
      }
    }
    StringBuilder out = new StringBuilder(src.length());
    for (Part p : parts) {
      switch (p.kind) {
        case TEXT -> out.append(p.text);
        case VARIABLE -> out.append("{{").append(p.text).append("}}");
        case BLOCK -> out.append("{%").append(p.text).append("%}");
        case COMMENT -> { }
      }
    }
    return out.toString();
  }

  private static boolean onlyBlanks(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private static List<Part> lex(String src) {
    List<Part> parts = new ArrayList<>();
    int pos = 0;
    int n = src.length();
    while (pos < n) {
      int start = nextTag(src, pos);
      parts.add(new Part(Kind.TEXT, src.substring(pos, start < 0 ? n : start)));
      if (start < 0) {
        break;
      }
      char type = src.charAt(start + 1);
      Kind kind = type == '{' ? Kind.VARIABLE : type == '%' ? Kind.BLOCK : Kind.COMMENT;
      int k = start + 2;
      char left = k < n && (src.charAt(k) == '-' || src.charAt(k) == '+') ? src.charAt(k) : 0;
      if (left != 0) {
        k++;
      }
      int end;
      String close = kind == Kind.VARIABLE ? "}}" : kind == Kind.BLOCK ? "%}" : "#}";
      if (kind == Kind.COMMENT) {
        end = src.indexOf(close, k);
      } else {
        end = findClose(src, k, close);
      }
      if (end < 0) {
        throw new IllegalArgumentException("unterminated tag starting at offset " + start);
      }
      String inner = src.substring(k, end);
      char right = 0;
      if (!inner.isEmpty() && (inner.endsWith("-") || inner.endsWith("+")) && kind != Kind.VARIABLE
          || kind == Kind.VARIABLE && inner.endsWith("-")) {
        right = inner.charAt(inner.length() - 1);
        inner = inner.substring(0, inner.length() - 1);
      }
      Part tag = new Part(kind, inner);
      tag.left = left;
      tag.right = right;
      parts.add(tag);
      pos = end + 2;
      if (kind == Kind.BLOCK && inner.trim().equals("raw")) {
        // Everything up to the endraw tag is text, passed to the engine inside raw tags.
        int endRaw = findEndRaw(src, pos);
        if (endRaw < 0) {
          throw new IllegalArgumentException("unterminated raw block starting at offset " + start);
        }
        Part body = new Part(Kind.TEXT, src.substring(pos, endRaw));
        body.raw = true;
        parts.add(body);
        pos = endRaw;
      }
    }
    return parts;
  }

  private static int nextTag(String s, int from) {
    for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
      char c = s.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') {
        return i;
      }
    }
    return -1;
  }

  private static int findClose(String s, int from, String close) {
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c) {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (depth > 0 && (c == ')' || c == ']' || c == '}')) {
        depth--;
      } else if (depth == 0 && s.startsWith(close, i)) {
        return i;
      }
    }
    return -1;
  }

  private static int findEndRaw(String s, int from) {
    for (int i = s.indexOf("{%", from); i >= 0; i = s.indexOf("{%", i + 2)) {
      int k = i + 2;
      if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
        k++;
      }
      String rest = s.substring(k).stripLeading();
      if (rest.startsWith("endraw")) {
        return i;
      }
    }
    return -1;
  }
}
