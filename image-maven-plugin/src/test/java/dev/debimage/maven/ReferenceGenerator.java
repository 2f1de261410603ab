package dev.debimage.maven;

import dev.debimage.maven.PluginDescriptorReader.Goal;
import dev.debimage.maven.PluginDescriptorReader.Parameter;
import dev.debimage.maven.PluginDescriptorReader.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes {@code docs/reference.md}, the configuration reference, from the plugin descriptor: every
 * goal, and for each of its parameters the type, user property, default and description.
 */
final class ReferenceGenerator {

  /** The command that regenerates the reference, which the staleness check prints. */
  static final String COMMAND =
      "mvn -pl image-maven-plugin -am test -Dtest=ReferenceDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Ddebimage.writeReference=true";

  /**
   * Parameters without a user property, because Maven cannot convert a single {@code -D} string
   * to a map or to an object with its own fields.
   */
  static final Set<String> POM_ONLY =
      Set.of("sources", "environment", "labels", "policy", "users", "groups", "paths");

  /** A sentence of a description that states the default of a parameter without default-value. */
  private static final Pattern DEFAULT_SENTENCE =
      Pattern.compile("(?i)\\b(defaults?|unset|empty|unspecified)\\b");

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.:])\\s+(?=[A-Z])");

  private ReferenceGenerator() {}

  /** Returns the reference as Markdown. */
  static String markdown(Plugin plugin) {
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n");
    out.append("<!-- Generated from the plugin descriptor by ReferenceGenerator in image-maven-plugin's tests.\n");
    out.append("     Do not edit: change the parameter's Javadoc or @Parameter annotation, then run\n");
    out.append("     ").append(COMMAND).append(" -->\n\n");
    out.append("Every goal of `").append(plugin.groupId()).append(':').append(plugin.artifactId())
        .append("` and every parameter it takes, as the plugin\n")
        .append("descriptor lists them. [Configuration](configuration.md) explains the larger settings with examples.\n\n");
    out.append("Set a parameter in the plugin's `<configuration>`, or with `-DPROPERTY=VALUE` on the command\n")
        .append("line where it has a user property. A list parameter takes a comma-separated value, such as\n")
        .append("`-Dimage.ports=8080,9090`. For a single-valued parameter, a value in the pom wins over the user\n")
        .append("property. For a list parameter, the user property replaces the pom's list, because Maven reads\n")
        .append("the property before the list's elements. The parameters `")
        .append(String.join("`, `", POM_ONLY.stream().sorted().toList()))
        .append("` have no user\nproperty, because Maven cannot turn one `-D` string into a map or an object with fields.\n\n");
    out.append("`mvn ").append(plugin.goalPrefix()).append(":help -Ddetail` prints the same list.\n\n");

    out.append("| goal | default phase | what it does |\n| --- | --- | --- |\n");
    for (Goal goal : plugin.goals()) {
      out.append("| [`").append(plugin.goalPrefix()).append(':').append(goal.name()).append("`](#")
          .append(plugin.goalPrefix()).append(goal.name()).append(") | ")
          .append(goal.phase() == null ? "none" : "`" + goal.phase() + "`").append(" | ")
          .append(cell(firstSentence(goal.description()))).append(" |\n");
    }
    for (Goal goal : plugin.goals()) {
      out.append("\n## ").append(plugin.goalPrefix()).append(':').append(goal.name()).append("\n\n");
      out.append(wrap(goal.description())).append("\n\n");
      out.append(goal.phase() == null
          ? "Not bound to a phase: run it by name, such as `mvn " + plugin.goalPrefix() + ":" + goal.name() + "`.\n\n"
          : "Bound to the `" + goal.phase() + "` phase by default.\n\n");
      out.append("| parameter | type | user property | default | description |\n");
      out.append("| --- | --- | --- | --- | --- |\n");
      for (Parameter parameter : goal.parameters()) {
        Documented documented = document(parameter);
        out.append("| `").append(parameter.name()).append("` | ")
            .append(simpleType(parameter.type())).append(" | ")
            .append(parameter.userProperty() == null ? "none" : "`" + parameter.userProperty() + "`").append(" | ")
            .append(documented.defaultText()).append(" | ")
            .append(documented.description()).append(" |\n");
      }
    }
    return out.toString();
  }

  /**
   * Returns the parameters that break the reference's rules: each needs a user property (unless in
   * {@link #POM_ONLY}) and a default, either a default-value or a sentence of its Javadoc.
   */
  static List<String> problems(Plugin plugin) {
    List<String> problems = new ArrayList<>();
    for (Goal goal : plugin.goals()) {
      for (Parameter parameter : goal.parameters()) {
        String where = plugin.goalPrefix() + ":" + goal.name() + " parameter " + parameter.name();
        if (parameter.userProperty() == null && !POM_ONLY.contains(parameter.name())) {
          problems.add(where + " has no user property: add property = \"image." + parameter.name()
              + "\" to its @Parameter annotation");
        }
        if (parameter.description() == null) {
          problems.add(where + " has no description: add Javadoc to its field");
        } else if (parameter.defaultValue() == null && defaultSentence(parameter.description()).isEmpty()) {
          problems.add(where + " documents no default: set defaultValue in @Parameter, or add a sentence"
              + " such as \"Empty by default.\" or \"Defaults to ...\" to its Javadoc");
        }
      }
    }
    return problems;
  }

  private record Documented(String defaultText, String description) {}

  private static Documented document(Parameter parameter) {
    String description = parameter.description() == null ? "" : parameter.description();
    if (parameter.defaultValue() != null) {
      return new Documented("`" + parameter.defaultValue().replace("|", "\\|") + "`", cell(description));
    }
    Optional<String> sentence = defaultSentence(description);
    if (sentence.isEmpty()) {
      return new Documented("none", cell(description));
    }
    List<String> rest = new ArrayList<>(sentences(description));
    rest.remove(sentence.get());
    return new Documented(cell(sentence.get()), cell(String.join(" ", rest)));
  }

  private static Optional<String> defaultSentence(String description) {
    return sentences(description).stream().filter(s -> DEFAULT_SENTENCE.matcher(s).find()).findFirst();
  }

  private static List<String> sentences(String text) {
    return List.of(SENTENCE_END.split(text.strip()));
  }

  private static String firstSentence(String text) {
    return text == null ? "" : sentences(text).get(0);
  }

  private static String simpleType(String type) {
    if (type == null) {
      return "";
    }
    return type.substring(type.lastIndexOf('.') + 1);
  }

  /** Escapes a table cell: the descriptor's text is plain, so {@code <} would start an HTML tag. */
  private static String cell(String text) {
    return escape(text).replace("|", "\\|").replace("\n", " ");
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Wraps a paragraph at 100 columns, as the other docs are wrapped. */
  private static String wrap(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    int column = 0;
    for (String word : escape(text).split("\\s+")) {
      if (column > 0 && column + 1 + word.length() > 100) {
        out.append('\n');
        column = 0;
      } else if (column > 0) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    return out.toString();
  }
}
