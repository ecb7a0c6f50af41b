package org.rlaifv.core.hf;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.CompositeELResolver;
import org.apache.commons.lang3.tuple.Pair;

/**
 * The jinjava environment configured to render chat templates as transformers'
 * {@code _compile_jinja_template} does with Jinja2.
 *
 * <p>Jinja2 behaviour that jinjava lacks or does differently is supplied here, never by editing a
 * template: whitespace control ({@link JinjaSource}); Python string methods
 * ({@link PyStringMethods}); output of values as Python's {@code str()} ({@code True}, not
 * {@code true}); a {@code tojson} filter with {@code json.dumps} semantics and transformers'
 * arguments ({@code ensure_ascii=False, indent, separators, sort_keys}); {@code string} as
 * Python's {@code str}; {@code raise_exception} and {@code strftime_now}; the {@code generation}
 * block tag, which renders its body; and {@code for ... if ...} filtering items before the loop.
 * Nested interpretation of rendered values and file-loading tags ({@code include}, {@code import},
 * {@code from}, {@code extends}) are off, as in transformers' sandbox without a loader.
 */
final class TemplateEngine {
  private static final Jinjava JINJAVA = create();

  private TemplateEngine() {}

  /** Thrown by {@code raise_exception(message)} and reported as the template's own error. */
  static final class Raised extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Raised(String message) {
      super(message);
    }
  }

  /**
   * Renders a normalized template.
   *
   * @param normalized the output of {@link JinjaSource#normalize}
   * @param variables the template variables
   * @param name names the template in error messages
   * @return the rendered text
   * @throws TemplateException when the template raises or cannot be rendered
   */
  static String render(String normalized, Map<String, Object> variables, String name) {
    RenderResult result;
    try {
      result = JINJAVA.renderForResult(normalized, variables);
    } catch (RuntimeException e) {
      Raised raised = raisedIn(e);
      if (raised != null) {
        throw new TemplateException("chat template " + name + " raised: " + raised.getMessage(), raised);
      }
      throw new TemplateException("chat template " + name + " cannot be rendered: " + e.getMessage(), e);
    }
    for (TemplateError error : result.getErrors()) {
      Raised raised = raisedIn(error.getException());
      if (raised != null) {
        throw new TemplateException("chat template " + name + " raised: " + raised.getMessage(), raised);
      }
    }
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new TemplateException(
            "chat template " + name + " cannot be rendered (line " + error.getLineno() + "): " + error.getMessage(),
            error.getException());
      }
    }
    return result.getOutput();
  }

  private static Raised raisedIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof Raised r) {
        return r;
      }
    }
    return null;
  }

  private static Jinjava create() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PyStringMethods());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withTrimBlocks(false)
        .withLstripBlocks(false)
        .withNestedInterpretationEnabled(false)
        .withExecutionMode(new PyOutputMode())
        .withElResolver(resolver)
        .withDisabled(Map.of(Context.Library.TAG, Set.of("include", "import", "from", "extends")))
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withKeepNullableLoopValues(true)
            .build())
        .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.setResourceLocator((fullName, encoding, interpreter) -> {
      throw new IOException("templates cannot load files (" + fullName + ")");
    });
    Context global = jinjava.getGlobalContext();
    global.registerFilter(new ToJson());
    global.registerFilter(new PyString());
    global.registerTag(new Generation());
    global.registerTag(new ForIf());
    global.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateEngine.class, "raiseException", Object.class));
    global.registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateEngine.class, "strftimeNow", String.class));
    return jinjava;
  }

  static Object raiseException(Object message) {
    throw new Raised(PyValues.str(message));
  }

  /** Python's {@code datetime.now().strftime(format)} for the directives chat templates use. */
  static String strftimeNow(String format) {
    return strftime(LocalDateTime.now(), format);
  }

  static String strftime(LocalDateTime t, String format) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 >= format.length()) {
        sb.append(c);
        continue;
      }
      char d = format.charAt(++i);
      boolean noPad = d == '-' && i + 1 < format.length();
      if (noPad) {
        d = format.charAt(++i);
      }
      switch (d) {
        case 'Y' -> sb.append(t.getYear());
        case 'y' -> sb.append(pad(t.getYear() % 100, 2, noPad));
        case 'm' -> sb.append(pad(t.getMonthValue(), 2, noPad));
        case 'd' -> sb.append(pad(t.getDayOfMonth(), 2, noPad));
        case 'e' -> sb.append(String.format("%2d", t.getDayOfMonth()));
        case 'H' -> sb.append(pad(t.getHour(), 2, noPad));
        case 'I' -> sb.append(pad(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, noPad));
        case 'M' -> sb.append(pad(t.getMinute(), 2, noPad));
        case 'S' -> sb.append(pad(t.getSecond(), 2, noPad));
        case 'f' -> sb.append(pad(t.getNano() / 1000, 6, false));
        case 'j' -> sb.append(pad(t.getDayOfYear(), 3, noPad));
        case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
        case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
        case 'z', 'Z' -> { }
        case '%' -> sb.append('%');
        default -> sb.append('%').append(noPad ? "-" : "").append(d);
      }
    }
    return sb.toString();
  }

  private static String pad(int v, int width, boolean noPad) {
    String s = Integer.toString(v);
    return noPad || s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /** Installs {@link PyOutput} in every render's context. */
  private static final class PyOutputMode implements ExecutionMode {
    @Override
    public void prepareContext(Context context) {
      context.setExpressionStrategy(new PyOutput());
    }
  }

  /** {@code {{ value }}} prints Python's {@code str(value)}. */
  private static final class PyOutput implements ExpressionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
      Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
      return new RenderedOutputNode(PyValues.str(value));
    }
  }

  /** transformers' {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}. */
  private static final class ToJson implements Filter {
    @Override
    public String getName() {
      return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return filter(var, interpreter, (Object[]) args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      Object[] a = args == null ? new Object[0] : args;
      Object ensureAscii = kwargs.getOrDefault("ensure_ascii", a.length > 0 ? a[0] : false);
      Object indent = kwargs.getOrDefault("indent", a.length > 1 ? a[1] : null);
      Object separators = kwargs.getOrDefault("separators", a.length > 2 ? a[2] : null);
      Object sortKeys = kwargs.getOrDefault("sort_keys", a.length > 3 ? a[3] : false);
      String indentText = null;
      if (indent instanceof Number n) {
        indentText = " ".repeat(Math.max(0, n.intValue()));
      } else if (indent != null) {
        indentText = indent.toString();
      }
      String[] seps = null;
      List<Object> sepList = PyValues.asList(separators);
      if (sepList != null && sepList.size() == 2) {
        seps = new String[] {String.valueOf(sepList.get(0)), String.valueOf(sepList.get(1))};
      }
      return PyValues.json(var, ObjectTruthValue.evaluate(ensureAscii), indentText, seps, ObjectTruthValue.evaluate(sortKeys));
    }
  }

  /** Jinja2's {@code string} filter: Python's {@code str}. */
  private static final class PyString implements Filter {
    @Override
    public String getName() {
      return "string";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return PyValues.str(var);
    }
  }

  /** transformers' {@code {% generation %}} block: renders its body (assistant-mask tracking is not needed). */
  private static final class Generation implements Tag {
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
      return "generation";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
      StringBuilder sb = new StringBuilder();
      try (InterpreterScopeClosable c = interpreter.enterScope()) {
        for (Node child : tagNode.getChildren()) {
          sb.append(child.render(interpreter).getValue());
        }
      }
      return sb.toString();
    }
  }

  /**
   * {@code for} with Jinja2's filter clause: in {@code for x in items if cond}, the items for which
   * {@code cond} is false are dropped before the loop, so {@code loop.index} and {@code loop.last}
   * count only the kept ones. Loops without the clause are jinjava's own.
   */
  private static final class ForIf extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
      Pair<List<String>, String> varsAndExpr = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
      String expr = varsAndExpr.getRight();
      int at = topLevelIf(expr);
      if (at < 0) {
        return super.interpretUnchecked(tagNode, interpreter);
      }
      List<String> vars = varsAndExpr.getLeft();
      String condition = expr.substring(at + 4).trim();
      Object collection = interpreter.resolveELExpression(expr.substring(0, at).trim(), tagNode.getLineNumber());
      List<Object> kept = new ArrayList<>();
      ForLoop items = ObjectIterator.getLoop(collection);
      while (items.hasNext()) {
        Object item = interpreter.wrap(items.next());
        try (InterpreterScopeClosable c = interpreter.enterScope()) {
          bind(vars, item, interpreter);
          if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) {
            kept.add(item);
          }
        }
      }
      return renderForCollection(tagNode, interpreter, vars, kept);
    }

    private static void bind(List<String> vars, Object item, JinjavaInterpreter interpreter) {
      if (vars.size() == 1) {
        interpreter.getContext().put(vars.get(0), item);
        return;
      }
      List<Object> parts = null;
      if (item instanceof Map.Entry<?, ?> e) {
        parts = List.of(e.getKey(), e.getValue() == null ? "" : e.getValue());
      } else {
        parts = PyValues.asList(item);
      }
      for (int i = 0; i < vars.size(); i++) {
        interpreter.getContext().put(vars.get(i), parts != null && i < parts.size() ? parts.get(i) : null);
      }
    }

    /** Index of the first {@code " if "} outside strings and brackets, or -1. */
    static int topLevelIf(String expr) {
      int depth = 0;
      for (int i = 0; i < expr.length(); i++) {
        char c = expr.charAt(i);
        if (c == '\'' || c == '"') {
          int j = i + 1;
          while (j < expr.length() && expr.charAt(j) != c) {
            j += expr.charAt(j) == '\\' ? 2 : 1;
          }
          i = j;
        } else if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth--;
        } else if (depth == 0 && Character.isWhitespace(c) && expr.startsWith("if", i + 1)
            && i + 3 < expr.length() && Character.isWhitespace(expr.charAt(i + 3))) {
          return i;
        }
      }
      return -1;
    }
  }
}
