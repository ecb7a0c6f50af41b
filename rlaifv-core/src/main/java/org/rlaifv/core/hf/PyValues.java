package org.rlaifv.core.hf;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Python's {@code str()}, {@code repr()} and {@code json.dumps} for the values templates see. */
final class PyValues {
  private PyValues() {}

  /** Python {@code str(value)}, except that null prints as the empty string (as undefined does). */
  static String str(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof CharSequence) {
      return value.toString();
    }
    return repr(value);
  }

  /** Python {@code repr(value)}. */
  static String repr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof CharSequence s) {
      return reprString(s.toString());
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return floatRepr(((Number) value).doubleValue(), false);
    }
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
      }
      return sb.append('}').toString();
    }
    List<Object> items = asList(value);
    if (items != null) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(repr(items.get(i)));
      }
      return sb.append(']').toString();
    }
    return value.toString();
  }

  /** The elements of a collection or array, or null for other values. */
  static List<Object> asList(Object value) {
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    if (value instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (value instanceof Object[] array) {
      return new ArrayList<>(List.of(array));
    }
    return null;
  }

  private static String reprString(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(quote).toString();
  }

  /**
   * Python's {@code float.__repr__}: the shortest digits that round-trip, positional for decimal
   * exponents from -4 to 15 and scientific ({@code 1e-05}, {@code 1.5e+16}) outside.
   */
  static String floatRepr(double d, boolean json) {
    if (Double.isNaN(d)) {
      return json ? "NaN" : "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? (json ? "Infinity" : "inf") : (json ? "-Infinity" : "-inf");
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    // value = 0.digits * 10^(point); Python's exponent is point - 1.
    int point = digits.length() - exact.scale();
    int exponent = point - 1;
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (exponent >= -4 && exponent < 16) {
      if (point <= 0) {
        sb.append("0.").append("0".repeat(-point)).append(digits);
      } else if (point >= digits.length()) {
        sb.append(digits).append("0".repeat(point - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, point).append('.').append(digits.substring(point));
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits.substring(1));
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      String e = Integer.toString(Math.abs(exponent));
      sb.append(e.length() < 2 ? "0" + e : e);
    }
    return sb.toString();
  }

  /**
   * Python's {@code json.dumps(value, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}.
   *
   * @param indent null for one line, else the string put once per nesting level
   * @param separators null for the defaults, else {item separator, key separator}
   */
  static String json(Object value, boolean ensureAscii, String indent, String[] separators, boolean sortKeys) {
    String item = separators != null ? separators[0] : (indent == null ? ", " : ",");
    String key = separators != null ? separators[1] : ": ";
    StringBuilder sb = new StringBuilder();
    writeJson(sb, value, ensureAscii, indent, item, key, sortKeys, 0);
    return sb.toString();
  }

  private static void writeJson(
      StringBuilder sb, Object value, boolean ascii, String indent, String item, String key, boolean sort, int depth) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (value instanceof CharSequence s) {
      jsonString(sb, s.toString(), ascii);
    } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      sb.append(floatRepr(((Number) value).doubleValue(), true));
    } else if (value instanceof Number) {
      sb.append(value instanceof BigInteger ? value.toString() : Long.toString(((Number) value).longValue()));
    } else if (value instanceof Map<?, ?> map) {
      List<Map.Entry<String, Object>> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.add(Map.entry(jsonKey(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
      }
      if (sort) {
        entries.sort(Map.Entry.comparingByKey());
      }
      if (entries.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      Iterator<Map.Entry<String, Object>> it = entries.iterator();
      while (it.hasNext()) {
        Map.Entry<String, Object> e = it.next();
        newline(sb, indent, depth + 1);
        jsonString(sb, e.getKey(), ascii);
        sb.append(key);
        writeJson(sb, e.getValue() == NULL ? null : e.getValue(), ascii, indent, item, key, sort, depth + 1);
        if (it.hasNext()) {
          sb.append(item);
        }
      }
      newline(sb, indent, depth);
      sb.append('}');
    } else {
      List<Object> items = asList(value);
      if (items == null) {
        throw new IllegalArgumentException(
            "Object of type " + value.getClass().getSimpleName() + " is not JSON serializable");
      }
      if (items.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < items.size(); i++) {
        newline(sb, indent, depth + 1);
        writeJson(sb, items.get(i), ascii, indent, item, key, sort, depth + 1);
        if (i < items.size() - 1) {
          sb.append(item);
        }
      }
      newline(sb, indent, depth);
      sb.append(']');
    }
  }

  private static final Object NULL = new Object();

  private static String jsonKey(Object k) {
    if (k == null) {
      return "null";
    }
    if (k instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (k instanceof Double || k instanceof Float) {
      return floatRepr(((Number) k).doubleValue(), true);
    }
    return k.toString();
  }

  private static void newline(StringBuilder sb, String indent, int depth) {
    if (indent != null) {
      sb.append('\n').append(indent.repeat(depth));
    }
  }

  private static void jsonString(StringBuilder sb, String s, boolean ascii) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || (ascii && c > 0x7e)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
