package org.rlaifv.core.hf;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Resolves Python's {@code str} methods ({@code .strip()}, {@code .upper()}, {@code .split()}...)
 * on Java strings, which published chat templates call as Jinja2 lets them. Other bases and
 * names fall through to the next resolver.
 */
final class PyStringMethods extends ELResolver {

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
    if (!(base instanceof String s) || method == null) {
      return null;
    }
    Object[] p = params == null ? new Object[0] : params;
    Object result;
    switch (method.toString()) {
      case "upper" -> result = s.toUpperCase(Locale.ROOT);
      case "lower" -> result = s.toLowerCase(Locale.ROOT);
      case "strip" -> result = strip(s, arg(p, 0), true, true);
      case "lstrip" -> result = strip(s, arg(p, 0), true, false);
      case "rstrip" -> result = strip(s, arg(p, 0), false, true);
      case "startswith" -> result = affix(s, p, true);
      case "endswith" -> result = affix(s, p, false);
      case "split" -> result = split(s, arg(p, 0), p.length > 1 ? toInt(p[1]) : -1);
      case "rsplit" -> result = rsplit(s, arg(p, 0), p.length > 1 ? toInt(p[1]) : -1);
      case "splitlines" -> result = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
      case "replace" -> result = replace(s, str(p, 0), str(p, 1), p.length > 2 ? toInt(p[2]) : -1);
      case "title" -> result = title(s);
      case "capitalize" -> result = s.isEmpty() ? s
          : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
      case "find" -> result = (long) s.indexOf(str(p, 0));
      case "count" -> result = (long) count(s, str(p, 0));
      case "join" -> result = join(s, p.length > 0 ? p[0] : null);
      case "isdigit" -> result = !s.isEmpty() && s.chars().allMatch(Character::isDigit);
      case "isalpha" -> result = !s.isEmpty() && s.chars().allMatch(Character::isLetter);
      case "isspace" -> result = !s.isEmpty() && s.chars().allMatch(PyStringMethods::isSpace);
      case "islower" -> result = s.chars().anyMatch(Character::isLowerCase) && s.chars().noneMatch(Character::isUpperCase);
      case "isupper" -> result = s.chars().anyMatch(Character::isUpperCase) && s.chars().noneMatch(Character::isLowerCase);
      default -> {
        return null;
      }
    }
    context.setPropertyResolved(true);
    return result;
  }

  private static String arg(Object[] p, int i) {
    return i < p.length && p[i] != null ? p[i].toString() : null;
  }

  private static String str(Object[] p, int i) {
    if (i >= p.length || p[i] == null) {
      throw new IllegalArgumentException("string method expects an argument at position " + (i + 1));
    }
    return p[i].toString();
  }

  private static int toInt(Object o) {
    return o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString());
  }

  static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x1f || c == 0x85;
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end && stripped(s.charAt(start), chars)) {
        start++;
      }
    }
    if (right) {
      while (end > start && stripped(s.charAt(end - 1), chars)) {
        end--;
      }
    }
    return s.substring(start, end);
  }

  private static boolean stripped(char c, String chars) {
    return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
  }

  private static boolean affix(String s, Object[] p, boolean prefix) {
    Object a = p.length > 0 ? p[0] : null;
    List<Object> options = PyValues.asList(a);
    if (options == null) {
      options = List.of(String.valueOf(a));
    }
    for (Object o : options) {
      String x = String.valueOf(o);
      if (prefix ? s.startsWith(x) : s.endsWith(x)) {
        return true;
      }
    }
    return false;
  }

  static List<String> split(String s, String sep, int maxsplit) {
    List<String> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && isSpace(s.charAt(i))) {
          i++;
        }
        if (i >= n) {
          break;
        }
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(strip(s.substring(i), null, false, true));
          break;
        }
        int j = i;
        while (j < n && !isSpace(s.charAt(j))) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
      return out;
    }
    if (sep.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
    int from = 0;
    int at;
    while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  private static List<String> rsplit(String s, String sep, int maxsplit) {
    if (sep == null || maxsplit < 0) {
      return split(s, sep, maxsplit);
    }
    List<String> out = new ArrayList<>();
    int end = s.length();
    int at;
    while (out.size() < maxsplit && (at = s.lastIndexOf(sep, end - sep.length())) >= 0 && end - sep.length() >= 0) {
      out.add(0, s.substring(at + sep.length(), end));
      end = at;
    }
    out.add(0, s.substring(0, end));
    return out;
  }

  private static String replace(String s, String old, String rep, int count) {
    if (count < 0) {
      return s.replace(old, rep);
    }
    StringBuilder sb = new StringBuilder();
    int from = 0;
    int done = 0;
    int at;
    while (done < count && (at = s.indexOf(old, from)) >= 0) {
      sb.append(s, from, at).append(rep);
      from = at + old.length();
      done++;
      if (old.isEmpty()) {
        if (from < s.length()) {
          sb.append(s.charAt(from));
        }
        from++;
      }
    }
    if (from <= s.length()) {
      sb.append(s.substring(Math.min(from, s.length())));
    }
    return sb.toString();
  }

  private static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevCased = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
      sb.append(prevCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
      prevCased = cased;
    }
    return sb.toString();
  }

  private static int count(String s, String sub) {
    if (sub.isEmpty()) {
      return s.length() + 1;
    }
    int n = 0;
    int from = 0;
    int at;
    while ((at = s.indexOf(sub, from)) >= 0) {
      n++;
      from = at + sub.length();
    }
    return n;
  }

  private static String join(String sep, Object items) {
    List<Object> list = PyValues.asList(items);
    if (list == null) {
      throw new IllegalArgumentException("join expects a list");
    }
    StringBuilder sb = new StringBuilder();
    for (Iterator<Object> it = list.iterator(); it.hasNext(); ) {
      sb.append(PyValues.str(it.next()));
      if (it.hasNext()) {
        sb.append(sep);
      }
    }
    return sb.toString();
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {}

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }
}
