package dev.debimage.maven;

import dev.debimage.core.resolution.NameSuggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Rejects configuration elements that match no parameter of this plugin's goals, such as {@code
 * <timeZone>} for {@code <timezone>}. Maven 3.8 ignores them silently, so a misspelt parameter
 * would leave its default in place.
 */
final class UnknownParameters {

  private UnknownParameters() {}

  /**
   * Checks the plugin's configuration in {@code project}, at plugin level and in every execution,
   * against the parameters of all the plugin's goals.
   *
   * @throws MojoFailureException naming each unknown element, with the closest parameter names
   */
  static void check(MavenProject project, MojoExecution execution) throws MojoFailureException {
    if (project == null || execution == null || execution.getMojoDescriptor() == null) {
      return;
    }
    PluginDescriptor descriptor = execution.getMojoDescriptor().getPluginDescriptor();
    Plugin plugin = project.getPlugin(descriptor.getPluginLookupKey());
    if (plugin == null) {
      return;
    }

    Set<String> known = new TreeSet<>();
    for (MojoDescriptor mojo : descriptor.getMojos()) {
      if (mojo.getParameters() != null) {
        for (Parameter parameter : mojo.getParameters()) {
          known.add(parameter.getName());
          if (parameter.getAlias() != null) {
            known.add(parameter.getAlias());
          }
        }
      }
    }

    List<Object> configurations = new ArrayList<>();
    configurations.add(plugin.getConfiguration());
    for (PluginExecution pluginExecution : plugin.getExecutions()) {
      configurations.add(pluginExecution.getConfiguration());
    }

    Set<String> problems = new TreeSet<>();
    for (Object configuration : configurations) {
      if (configuration instanceof Xpp3Dom dom) {
        for (Xpp3Dom child : dom.getChildren()) {
          if (!known.contains(child.getName())) {
            problems.add(describe(child.getName(), known));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new MojoFailureException(
          "unknown parameter" + (problems.size() > 1 ? "s" : "") + " in the configuration of "
              + descriptor.getArtifactId() + ": " + String.join("; ", problems)
              + ". Fix the name in the pom; mvn image:help -Ddetail lists every parameter");
    }
  }

  private static String describe(String name, Set<String> known) {
    List<String> similar = NameSuggestions.similar(name, known);
    List<String> sameLetters =
        known.stream().filter(parameter -> parameter.equalsIgnoreCase(name)).toList();
    List<String> suggestions = sameLetters.isEmpty() ? similar : sameLetters;
    return "<" + name + ">"
        + (suggestions.isEmpty()
            ? ""
            : " (did you mean " + String.join(", ", suggestions.stream().map(s -> "<" + s + ">").toList()) + "?)");
  }
}
