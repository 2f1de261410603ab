package dev.debimage.core.assembly;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code update-alternatives --install} and {@code dpkg-divert --add} calls of a
 * maintainer script without running it, by evaluating the script statically as dpkg would run it
 * for a first installation ({@code preinst install}, {@code postinst configure}).
 *
 * <p>Literal assignments, {@code ${NAME:-word}} forms, {@code for} loops over known words,
 * {@code case}, functions, {@code &&}/{@code ||} and {@code [ ... ]} tests are evaluated. File
 * tests ({@code -e}, {@code -f}, {@code -d}, {@code -x}, {@code -L}) look at the assembled tree,
 * with every package unpacked, as at configure time. Whatever needs a command's output (a
 * command substitution, a command other than the shell's own, a pipeline or a {@code while}
 * loop) is unknown, except the output of {@code uname -s} and {@code dpkg
 * --print-architecture}, which the image's kernel and architecture fix. A branch whose condition is unknown is not taken, and every call in it that
 * would have changed something is reported in {@link ScriptEffects#unreadable()}, as is a call
 * with an unknown argument.
 */
public final class MaintainerScriptReader {

  private static final int MAX_CALL_DEPTH = 64;
  private static final int MAX_STEPS = 200_000;
  private static final String ALTERNATIVES = "update-alternatives";
  private static final String DIVERT = "dpkg-divert";

  private enum Status { TRUE, FALSE, UNKNOWN }

  /** Ends the evaluation, as {@code exit} does. */
  private static final class Exit extends RuntimeException {
    Exit() {
      super(null, null, false, false);
    }
  }

  /** Control flow of {@code return}, {@code break} and {@code continue}. */
  private static final class Jump extends RuntimeException {
    final String keyword;

    Jump(String keyword) {
      super(null, null, false, false);
      this.keyword = keyword;
    }
  }

  private record Expansion(String value, int end) {}

  private final String where;
  private final FileTree tree;
  /** Outputs of the commands whose output in the image is known before it runs. */
  private final Map<String, String> knownOutputs;
  /** Variables; a {@code null} value means set to something unknown. */
  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, ShellNode> functions = new HashMap<>();
  private List<String> positional;
  private final List<AlternativeRegistration> alternatives = new ArrayList<>();
  private final List<Diversion> diversions = new ArrayList<>();
  private final Set<String> unreadable = new LinkedHashSet<>();
  private int depth;
  private int steps;

  private MaintainerScriptReader(
      String where, FileTree tree, List<String> arguments, String architecture) {
    this.where = where;
    this.tree = tree;
    this.knownOutputs = Map.of("uname", "Linux", "uname -s", "Linux",
        "dpkg --print-architecture", architecture);
    this.positional = new ArrayList<>(arguments);
  }

  /**
   * Reads the calls of one maintainer script.
   *
   * @param packageName the package, which is also the {@code dpkg-divert} default owner
   * @param architecture the package's architecture, for {@code DPKG_MAINTSCRIPT_ARCH}
   * @param scriptName {@code preinst} (run as {@code preinst install}) or {@code postinst} (run as
   *     {@code postinst configure} with no previous version)
   * @param script the script's text
   * @param tree the assembled tree that file tests look at
   */
  public static ScriptEffects read(
      String packageName, String architecture, String scriptName, String script, FileTree tree) {
    if (!script.contains(ALTERNATIVES) && !script.contains(DIVERT)) {
      return ScriptEffects.NONE;
    }
    String where = "package " + packageName + " " + scriptName;
    List<String> arguments = scriptName.equals("preinst") ? List.of("install")
        : scriptName.equals("postinst") ? List.of("configure") : List.of();
    MaintainerScriptReader reader =
        new MaintainerScriptReader(where, tree, arguments, architecture);
    reader.variables.put("DPKG_MAINTSCRIPT_PACKAGE", packageName);
    reader.variables.put("DPKG_MAINTSCRIPT_ARCH", architecture);
    reader.variables.put("DPKG_MAINTSCRIPT_NAME", scriptName);
    reader.variables.put("DPKG_ROOT", "");
    reader.variables.put("DPKG_ADMINDIR", "/var/lib/dpkg");
    ShellNode parsed;
    try {
      parsed = ShellParser.parse(script);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return new ScriptEffects(List.of(), List.of(), List.of(
          where + ": not read, because its shell syntax could not be parsed (" + e.getMessage()
              + "); its update-alternatives and dpkg-divert calls are not applied"));
    }
    try {
      reader.evaluate(parsed);
    } catch (Exit | Jump e) {
      // exit, or a return outside a function, ends the script.
    }
    return new ScriptEffects(reader.alternatives, reader.diversions,
        new ArrayList<>(reader.unreadable));
  }

  // ---- commands ----

  private Status evaluate(ShellNode node) {
    if (++steps > MAX_STEPS) {
      unreadable.add(where + ": evaluation stopped after " + MAX_STEPS + " steps; later calls"
          + " are not applied");
      throw new Exit();
    }

    if (node instanceof ShellNode.Simple simple) {
      return simpleCommand(simple);
    }

    if (node instanceof ShellNode.Sequence sequence) {
      Status status = Status.TRUE;
      for (ShellNode command : sequence.commands()) {
        status = evaluate(command);
      }
      return status;
    }

    if (node instanceof ShellNode.AndOr list) {
      Status left = evaluate(list.left());
      if (left == Status.UNKNOWN) {
        reportSkipped(list.right(), "it runs only if an earlier command succeeds or fails, which"
            + " cannot be decided without running the script");
        return Status.UNKNOWN;
      }
      boolean runRight = list.and() == (left == Status.TRUE);
      return runRight ? evaluate(list.right()) : left;
    }

    if (node instanceof ShellNode.Pipeline pipeline) {
      if (pipeline.commands().size() == 1) {
        return negate(evaluate(pipeline.commands().get(0)));
      }
      pipeline.commands().forEach(command -> reportSkipped(command, "it is part of a pipeline"));
      return Status.UNKNOWN;
    }

    if (node instanceof ShellNode.If ifNode) {
      return ifCommand(ifNode);
    }

    if (node instanceof ShellNode.For forNode) {
      return forCommand(forNode);
    }

    if (node instanceof ShellNode.Loop loop) {
      reportSkipped(loop.condition(), "while and until loops are not evaluated");
      reportSkipped(loop.body(), "while and until loops are not evaluated");
      return Status.UNKNOWN;
    }

    if (node instanceof ShellNode.Case caseNode) {
      return caseCommand(caseNode);
    }

    if (node instanceof ShellNode.Group group) {
      if (!group.subshell()) {
        return evaluate(group.body());
      }
      Map<String, String> saved = new HashMap<>(variables);
      try {
        return evaluate(group.body());
      } catch (Exit e) {
        return Status.UNKNOWN;
      } finally {
        variables.clear();
        variables.putAll(saved);
      }
    }

    if (node instanceof ShellNode.FunctionDefinition definition) {
      functions.put(definition.name(), definition.body());
      return Status.TRUE;
    }
    throw new IllegalStateException("unexpected node " + node);
  }

  private static Status negate(Status status) {
    return status == Status.TRUE ? Status.FALSE
        : status == Status.FALSE ? Status.TRUE : Status.UNKNOWN;
  }

  private Status ifCommand(ShellNode.If ifNode) {
    for (int i = 0; i < ifNode.conditions().size(); i++) {
      Status condition = evaluate(ifNode.conditions().get(i));
      if (condition == Status.TRUE) {
        return evaluate(ifNode.bodies().get(i));
      }
      if (condition == Status.UNKNOWN) {
        String reason = "its if condition cannot be decided without running the script";
        for (int j = i; j < ifNode.bodies().size(); j++) {
          reportSkipped(ifNode.bodies().get(j), reason);
          if (j > i) {
            reportSkipped(ifNode.conditions().get(j), reason);
          }
        }
        if (ifNode.elseBody() != null) {
          reportSkipped(ifNode.elseBody(), reason);
        }
        return Status.UNKNOWN;
      }
    }
    return ifNode.elseBody() == null ? Status.TRUE : evaluate(ifNode.elseBody());
  }

  private Status forCommand(ShellNode.For forNode) {
    List<String> values = new ArrayList<>();
    if (forNode.words() == null) {
      values.addAll(positional);
    } else {
      for (String word : forNode.words()) {
        List<String> fields = expandFields(word);
        if (fields == null) {
          reportSkipped(forNode.body(), "the words of its for loop are not known");
          return Status.UNKNOWN;
        }
        values.addAll(fields);
      }
    }
    Status status = Status.TRUE;
    for (String value : values) {
      variables.put(forNode.name(), value);
      try {
        status = evaluate(forNode.body());
      } catch (Jump jump) {
        if (jump.keyword.equals("break")) {
          break;
        }
        if (!jump.keyword.equals("continue")) {
          throw jump;
        }
      }
    }
    return status;
  }

  private Status caseCommand(ShellNode.Case caseNode) {
    String word = expandSingle(caseNode.word());
    if (word == null) {
      caseNode.items().forEach(item ->
          reportSkipped(item.body(), "the word its case statement tests is not known"));
      return Status.UNKNOWN;
    }
    for (ShellNode.CaseItem item : caseNode.items()) {
      for (String pattern : item.patterns()) {
        String expanded = expandSingle(pattern);
        if (expanded == null) {
          reportSkipped(item.body(), "a pattern of its case statement is not known");
          return Status.UNKNOWN;
        }
        if (Glob.matches(expanded, word)) {
          return evaluate(item.body());
        }
      }
    }
    return Status.TRUE;
  }

  private Status simpleCommand(ShellNode.Simple simple) {
    List<String> raw = simple.words();
    int first = 0;
    while (first < raw.size() && assignmentName(raw.get(first)) != null) {
      first++;
    }
    if (first == raw.size()) {
      raw.forEach(this::assign);
      return Status.TRUE;
    }
    List<String> nameFields = expandFields(raw.get(first));
    if (nameFields == null || nameFields.isEmpty()) {
      reportSkipped(simple, "the command name is not known");
      return Status.UNKNOWN;
    }
    String command = nameFields.get(0);
    List<String> rawArguments = raw.subList(first + 1, raw.size());

    switch (command) {
      case "export":
      case "local":
      case "readonly":
        rawArguments.stream().filter(word -> assignmentName(word) != null).forEach(this::assign);
        return Status.TRUE;
      case "unset":
        for (String word : rawArguments) {
          String name = expandSingle(word);
          if (name != null && !name.startsWith("-")) {
            variables.remove(name);
          }
        }
        return Status.TRUE;
      case "true":
      case ":":
      case "set":
      case "echo":
      case "printf":
      case ".":
        return Status.TRUE;
      case "false":
        return Status.FALSE;
      case "exit":
        throw new Exit();
      case "return":
      case "break":
      case "continue":
        throw new Jump(command);
      case "shift":
        if (!positional.isEmpty()) {
          positional.remove(0);
        }
        return Status.TRUE;
      default:
        break;
    }

    List<String> arguments = expandArguments(rawArguments);
    if (command.equals("[") || command.equals("test")) {
      if (arguments == null) {
        return Status.UNKNOWN;
      }
      List<String> operands = new ArrayList<>(arguments);
      if (command.equals("[")) {
        if (operands.isEmpty() || !operands.get(operands.size() - 1).equals("]")) {
          return Status.UNKNOWN;
        }
        operands.remove(operands.size() - 1);
      }
      return test(operands);
    }
    if (command.equals(ALTERNATIVES) || command.equals(DIVERT)) {
      if (arguments == null) {
        if (changesState(raw)) {
          unreadable.add(where + ": '" + String.join(" ", raw) + "' is not applied, because an"
              + " argument depends on a value that only running the script gives");
        }
        return Status.UNKNOWN;
      }
      String text = String.join(" ", raw);
      return command.equals(ALTERNATIVES) ? alternativesCall(arguments, text)
          : divertCall(arguments, text);
    }
    ShellNode function = functions.get(command);
    if (function != null) {
      return callFunction(command, function, rawArguments);
    }
    return Status.UNKNOWN;
  }

  private Status callFunction(String name, ShellNode body, List<String> rawArguments) {
    if (depth >= MAX_CALL_DEPTH) {
      reportSkipped(body, "function " + name + " recurses more than " + MAX_CALL_DEPTH
          + " levels");
      return Status.UNKNOWN;
    }
    List<String> arguments = new ArrayList<>();
    for (String word : rawArguments) {
      List<String> fields = expandFields(word);
      if (fields == null) {
        arguments.add(null);
      } else {
        arguments.addAll(fields);
      }
    }
    List<String> saved = positional;
    positional = arguments;
    depth++;
    try {
      return evaluate(body);
    } catch (Jump jump) {
      if (!jump.keyword.equals("return")) {
        throw jump;
      }
      return Status.TRUE;
    } finally {
      depth--;
      positional = saved;
    }
  }

  private List<String> expandArguments(List<String> rawArguments) {
    List<String> arguments = new ArrayList<>();
    for (String word : rawArguments) {
      List<String> fields = expandFields(word);
      if (fields == null) {
        return null;
      }
      arguments.addAll(fields);
    }
    return arguments;
  }

  private void assign(String word) {
    String name = assignmentName(word);
    variables.put(name, expandSingle(word.substring(name.length() + 1)));
  }

  private static String assignmentName(String word) {
    int equals = word.indexOf('=');
    if (equals <= 0) {
      return null;
    }
    String name = word.substring(0, equals);
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : null;
  }

  // ---- update-alternatives and dpkg-divert ----

  private Status alternativesCall(List<String> arguments, String text) {
    AlternativeRegistration master = null;
    List<AlternativeRegistration.Slave> slaves = new ArrayList<>();
    int i = 0;
    try {
      while (i < arguments.size()) {
        String option = arguments.get(i);
        switch (option) {
          case "--install":
            requireArguments(arguments, i, 4);
            int priority = Integer.parseInt(arguments.get(i + 4));
            master = new AlternativeRegistration(arguments.get(i + 2), arguments.get(i + 1),
                arguments.get(i + 3), priority);
            i += 5;
            break;
          case "--slave":
            requireArguments(arguments, i, 3);
            if (master == null) {
              throw new IllegalArgumentException("--slave before --install");
            }
            slaves.add(new AlternativeRegistration.Slave(arguments.get(i + 2),
                arguments.get(i + 1), arguments.get(i + 3)));
            i += 4;
            break;
          case "--quiet":
          case "--verbose":
          case "--debug":
          case "--force":
            i++;
            break;
          case "--remove":
            requireArguments(arguments, i, 2);
            String name = arguments.get(i + 1);
            String path = arguments.get(i + 2);
            alternatives.removeIf(r -> r.name().equals(name) && r.path().equals(path));
            return Status.TRUE;
          case "--query":
          case "--list":
          case "--display":
          case "--get-selections":
            return Status.UNKNOWN;
          default:
            throw new IllegalArgumentException("option " + option + " is not read");
        }
      }
    } catch (IllegalArgumentException e) {
      if (changesState(List.of(text.split(" ")))) {
        unreadable.add(where + ": '" + text + "' is not applied: " + e.getMessage());
      }
      return Status.UNKNOWN;
    }
    if (master != null) {
      alternatives.add(new AlternativeRegistration(master.name(), master.link(), master.path(),
          master.priority(), slaves));
    }
    return Status.TRUE;
  }

  private static void requireArguments(List<String> arguments, int option, int count) {
    if (option + count >= arguments.size()) {
      throw new IllegalArgumentException(arguments.get(option) + " needs " + count + " arguments");
    }
  }

  private Status divertCall(List<String> arguments, String text) {
    String packageName = null;
    boolean local = false;
    boolean rename = false;
    String divertTo = null;
    String action = "--add";
    String file = null;
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      String value = null;
      if (argument.startsWith("--") && argument.contains("=")) {
        value = argument.substring(argument.indexOf('=') + 1);
        argument = argument.substring(0, argument.indexOf('='));
      }
      switch (argument) {
        case "--package":
        case "--divert":
          if (value == null) {
            if (i + 1 >= arguments.size()) {
              unreadable.add(where + ": '" + text + "' is not applied: " + argument
                  + " needs a value");
              return Status.UNKNOWN;
            }
            value = arguments.get(++i);
          }
          if (argument.equals("--package")) {
            packageName = value;
          } else {
            divertTo = value;
          }
          break;
        case "--local":
          local = true;
          break;
        case "--rename":
          rename = true;
          break;
        case "--no-rename":
          rename = false;
          break;
        case "--quiet":
          break;
        case "--add":
        case "--remove":
        case "--list":
        case "--listpackage":
        case "--truename":
        case "--test":
          action = argument;
          break;
        default:
          if (argument.startsWith("-")) {
            unreadable.add(where + ": '" + text + "' is not applied: option " + argument
                + " is not read");
            return Status.UNKNOWN;
          }
          file = argument;
      }
    }

    if (!action.equals("--add") && !action.equals("--remove")) {
      return Status.UNKNOWN;
    }
    if (file == null) {
      unreadable.add(where + ": '" + text + "' is not applied: it names no file");
      return Status.UNKNOWN;
    }
    String path = file;
    if (action.equals("--remove")) {
      diversions.removeIf(diversion -> diversion.path().equals(path));
      return Status.TRUE;
    }
    if (!local && packageName == null) {
      packageName = variables.get("DPKG_MAINTSCRIPT_PACKAGE");
    }
    try {
      Diversion diversion = new Diversion(path, divertTo == null ? path + ".distrib" : divertTo,
          local ? null : packageName, rename);
      diversions.removeIf(existing -> existing.path().equals(path));
      diversions.add(diversion);
    } catch (IllegalArgumentException e) {
      unreadable.add(where + ": '" + text + "' is not applied: " + e.getMessage());
      return Status.UNKNOWN;
    }
    return Status.TRUE;
  }

  /** Returns whether a call's raw words are an alternative installation or a diversion. */
  private static boolean changesState(List<String> raw) {
    String command = raw.isEmpty() ? "" : raw.get(0).replace("\"", "").replace("'", "");
    if (command.equals(ALTERNATIVES)) {
      return raw.contains("--install");
    }
    if (command.equals(DIVERT)) {
      return raw.stream().noneMatch(word -> word.equals("--list") || word.equals("--listpackage")
          || word.equals("--truename") || word.equals("--remove"));
    }
    return false;
  }

  /** Reports every call below {@code node} that would have changed something, with the reason. */
  private void reportSkipped(ShellNode node, String reason) {
    reportSkipped(node, reason, new HashSet<>());
  }

  private void reportSkipped(ShellNode node, String reason, Set<String> visitedFunctions) {
    if (node instanceof ShellNode.Simple simple) {
      if (changesState(simple.words())) {
        unreadable.add(where + ": '" + String.join(" ", simple.words()) + "' is not applied,"
            + " because " + reason);
      } else if (!simple.words().isEmpty() && functions.containsKey(simple.words().get(0))
          && visitedFunctions.add(simple.words().get(0))) {
        reportSkipped(functions.get(simple.words().get(0)), reason, visitedFunctions);
      }
    } else if (node instanceof ShellNode.Sequence sequence) {
      sequence.commands().forEach(child -> reportSkipped(child, reason, visitedFunctions));
    } else if (node instanceof ShellNode.AndOr list) {
      reportSkipped(list.left(), reason, visitedFunctions);
      reportSkipped(list.right(), reason, visitedFunctions);
    } else if (node instanceof ShellNode.Pipeline pipeline) {
      pipeline.commands().forEach(child -> reportSkipped(child, reason, visitedFunctions));
    } else if (node instanceof ShellNode.If ifNode) {
      ifNode.conditions().forEach(child -> reportSkipped(child, reason, visitedFunctions));
      ifNode.bodies().forEach(child -> reportSkipped(child, reason, visitedFunctions));
      if (ifNode.elseBody() != null) {
        reportSkipped(ifNode.elseBody(), reason, visitedFunctions);
      }
    } else if (node instanceof ShellNode.For forNode) {
      reportSkipped(forNode.body(), reason, visitedFunctions);
    } else if (node instanceof ShellNode.Loop loop) {
      reportSkipped(loop.condition(), reason, visitedFunctions);
      reportSkipped(loop.body(), reason, visitedFunctions);
    } else if (node instanceof ShellNode.Case caseNode) {
      caseNode.items().forEach(item -> reportSkipped(item.body(), reason, visitedFunctions));
    } else if (node instanceof ShellNode.Group group) {
      reportSkipped(group.body(), reason, visitedFunctions);
    }
  }

  // ---- test ----

  private Status test(List<String> operands) {
    if (!operands.isEmpty() && operands.get(0).equals("!")) {
      return negate(test(operands.subList(1, operands.size())));
    }
    switch (operands.size()) {
      case 0:
        return Status.FALSE;
      case 1:
        return bool(!operands.get(0).isEmpty());
      case 2:
        return unaryTest(operands.get(0), operands.get(1));
      case 3:
        return binaryTest(operands.get(0), operands.get(1), operands.get(2));
      default:
        return Status.UNKNOWN;
    }
  }

  private static Status bool(boolean value) {
    return value ? Status.TRUE : Status.FALSE;
  }

  private Status unaryTest(String operator, String operand) {
    switch (operator) {
      case "-n":
        return bool(!operand.isEmpty());
      case "-z":
        return bool(operand.isEmpty());
      case "-e":
      case "-f":
      case "-d":
      case "-x":
      case "-s":
      case "-r":
      case "-w":
      case "-L":
      case "-h":
        return fileTest(operator, operand);
      default:
        return Status.UNKNOWN;
    }
  }

  private Status fileTest(String operator, String path) {
    if (!path.startsWith("/")) {
      return Status.UNKNOWN;
    }
    String normalized = PathNames.resolveLink("", path);
    if (normalized.isEmpty()) {
      return bool(!operator.equals("-f") && !operator.equals("-L") && !operator.equals("-h")
          && !operator.equals("-s"));
    }
    if (operator.equals("-L") || operator.equals("-h")) {
      Optional<FileEntry> parent = tree.resolve(PathNames.parent(normalized));
      String stored = parent.map(entry -> entry.path() + "/").orElse("")
          + PathNames.fileName(normalized);
      return bool(tree.get(stored).map(entry -> entry.type() == EntryType.SYMLINK)
          .orElse(false));
    }
    Optional<FileEntry> entry = tree.resolve(normalized);
    if (entry.isEmpty()) {
      return Status.FALSE;
    }
    FileEntry found = entry.get();
    boolean regular = found.type() == EntryType.REGULAR || found.type() == EntryType.HARDLINK;
    switch (operator) {
      case "-f":
        return bool(regular);
      case "-d":
        return bool(found.isDirectory());
      case "-x":
        return bool(found.isDirectory() || (found.mode() & 0111) != 0);
      case "-s":
        return bool(found.isDirectory() || (regular && found.content().size() > 0));
      default:
        return Status.TRUE;
    }
  }

  private static Status binaryTest(String left, String operator, String right) {
    switch (operator) {
      case "=":
      case "==":
        return bool(left.equals(right));
      case "!=":
        return bool(!left.equals(right));
      case "-eq":
      case "-ne":
      case "-gt":
      case "-ge":
      case "-lt":
      case "-le":
        long a;
        long b;
        try {
          a = Long.parseLong(left.strip());
          b = Long.parseLong(right.strip());
        } catch (NumberFormatException e) {
          return Status.UNKNOWN;
        }
        switch (operator) {
          case "-eq":
            return bool(a == b);
          case "-ne":
            return bool(a != b);
          case "-gt":
            return bool(a > b);
          case "-ge":
            return bool(a >= b);
          case "-lt":
            return bool(a < b);
          default:
            return bool(a <= b);
        }
      default:
        return Status.UNKNOWN;
    }
  }

  // ---- word expansion ----

  /** Expands a word without field splitting, as in assignments; {@code null} when unknown. */
  private String expandSingle(String raw) {
    List<String> fields = expand(raw, false);
    return fields == null ? null : String.join("", fields);
  }

  /** Expands a word into fields, splitting unquoted expansions at blanks; {@code null} when unknown. */
  private List<String> expandFields(String raw) {
    return expand(raw, true);
  }

  private List<String> expand(String raw, boolean split) {
    List<String> fields = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean open = false;
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '\'') {
        int close = raw.indexOf('\'', i + 1);
        current.append(raw, i + 1, close);
        open = true;
        i = close + 1;
      } else if (c == '"') {
        open = true;
        int j = i + 1;
        while (raw.charAt(j) != '"') {
          char d = raw.charAt(j);
          if (d == '\\') {
            char escaped = raw.charAt(j + 1);
            if ("$`\"\\".indexOf(escaped) >= 0) {
              current.append(escaped);
            } else if (escaped != '\n') {
              current.append(d).append(escaped);
            }
            j += 2;
          } else if (d == '$' || d == '`') {
            Expansion expansion = d == '$' ? parameter(raw, j) : commandOutput(raw, j);
            if (expansion == null) {
              return null;
            }
            current.append(expansion.value());
            j = expansion.end();
          } else {
            current.append(d);
            j++;
          }
        }
        i = j + 1;
      } else if (c == '\\') {
        if (i + 1 < raw.length() && raw.charAt(i + 1) != '\n') {
          current.append(raw.charAt(i + 1));
        }
        open = true;
        i += 2;
      } else if (c == '$' || c == '`') {
        Expansion expansion = c == '$' ? parameter(raw, i) : commandOutput(raw, i);
        if (expansion == null) {
          return null;
        }
        i = expansion.end();
        String value = expansion.value();
        if (!split) {
          current.append(value);
          open = true;
          continue;
        }
        String[] parts = value.isBlank() ? new String[0] : value.strip().split("[ \t\n]+");
        boolean leadingBlank = !value.isEmpty() && isBlank(value.charAt(0));
        boolean trailingBlank = !value.isEmpty() && isBlank(value.charAt(value.length() - 1));
        if (leadingBlank && (open || current.length() > 0)) {
          fields.add(current.toString());
          current.setLength(0);
          open = false;
        }
        for (int p = 0; p < parts.length; p++) {
          if (p > 0) {
            fields.add(current.toString());
            current.setLength(0);
          }
          current.append(parts[p]);
          open = true;
        }
        if (trailingBlank && parts.length > 0) {
          fields.add(current.toString());
          current.setLength(0);
          open = false;
        }
      } else {
        current.append(c);
        open = true;
        i++;
      }
    }
    if (open || current.length() > 0) {
      fields.add(current.toString());
    }
    return fields;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n';
  }

  /** Expands the parameter at {@code raw[start] == '$'}, or returns {@code null} when its value is unknown. */
  private Expansion parameter(String raw, int start) {
    if (start + 1 >= raw.length()) {
      return new Expansion("$", start + 1);
    }
    char next = raw.charAt(start + 1);
    if (next == '(') {
      return commandOutput(raw, start);
    }
    if (next == '{') {
      int close = raw.indexOf('}', start);
      String inner = raw.substring(start + 2, close);
      String value = braced(inner);
      return value == null ? null : new Expansion(value, close + 1);
    }
    if (Character.isDigit(next)) {
      String value = positionalValue(next - '0');
      return value == null ? null : new Expansion(value, start + 2);
    }
    if (next == '#') {
      return new Expansion(String.valueOf(positional.size()), start + 2);
    }
    if (next == '@' || next == '*') {
      if (positional.contains(null)) {
        return null;
      }
      return new Expansion(String.join(" ", positional), start + 2);
    }
    if (Character.isLetter(next) || next == '_') {
      int end = start + 1;
      while (end < raw.length()
          && (Character.isLetterOrDigit(raw.charAt(end)) || raw.charAt(end) == '_')) {
        end++;
      }
      String name = raw.substring(start + 1, end);
      if (variables.containsKey(name) && variables.get(name) == null) {
        return null;
      }
      return new Expansion(variables.getOrDefault(name, ""), end);
    }
    if ("?$!-".indexOf(next) >= 0) {
      return null;
    }
    return new Expansion("$", start + 1);
  }

  /**
   * Returns the output of the command substitution {@code $(...)} or {@code `...`} at
   * {@code start} when it is one of {@link #knownOutputs}, else {@code null}.
   */
  private Expansion commandOutput(String raw, int start) {
    boolean backquoted = raw.charAt(start) == '`';
    int open = backquoted ? start : start + 1;
    char close = backquoted ? '`' : ')';
    int end = raw.indexOf(close, open + 1);
    if (end < 0 || (!backquoted && raw.substring(open + 1, end).contains("("))) {
      return null;
    }
    String command = raw.substring(open + 1, end).strip().replaceAll("\\s+", " ");
    String output = knownOutputs.get(command);
    return output == null ? null : new Expansion(output, end + 1);
  }

  private String positionalValue(int index) {
    if (index == 0) {
      return where;
    }
    return index <= positional.size() ? positional.get(index - 1) : "";
  }

  /** Evaluates {@code ${inner}}: a name, {@code #name}, or a name with - + = ? and an optional colon. */
  private String braced(String inner) {
    if (inner.startsWith("#") && inner.length() > 1) {
      String value = braced(inner.substring(1));
      return value == null ? null : String.valueOf(value.length());
    }
    int end = 0;
    while (end < inner.length()
        && (Character.isLetterOrDigit(inner.charAt(end)) || inner.charAt(end) == '_')) {
      end++;
    }
    String name = inner.substring(0, end);
    if (name.isEmpty()) {
      return null;
    }
    boolean set;
    String value;
    if (name.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(name);
      set = index == 0 || index <= positional.size();
      value = set ? positionalValue(index) : "";
      if (set && value == null) {
        return null;
      }
    } else {
      set = variables.containsKey(name);
      value = variables.getOrDefault(name, "");
      if (set && value == null) {
        return null;
      }
    }

    String rest = inner.substring(end);
    if (rest.isEmpty()) {
      return value;
    }
    boolean colon = rest.startsWith(":");
    String operation = colon ? rest.substring(1) : rest;
    if (operation.isEmpty()) {
      return null;
    }
    char operator = operation.charAt(0);
    String word = operation.substring(1);
    boolean present = colon ? set && !value.isEmpty() : set;
    switch (operator) {
      case '-':
        return present ? value : expandSingle(word);
      case '=':
        if (present) {
          return value;
        }
        String assigned = expandSingle(word);
        variables.put(name, assigned);
        return assigned;
      case '+':
        return present ? expandSingle(word) : "";
      default:
        return null;
    }
  }
}
