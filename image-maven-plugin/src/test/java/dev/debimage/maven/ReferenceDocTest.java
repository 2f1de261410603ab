package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/reference.md} equal to what {@link ReferenceGenerator} makes of the plugin
 * descriptor, and holds every parameter to a user property and a documented default. With
 * {@code -Ddebimage.writeReference=true} it rewrites the file instead of failing.
 */
class ReferenceDocTest {

  /** docs/reference.md, found from the module directory that surefire runs in. */
  private static final Path REFERENCE = Path.of("").toAbsolutePath().getParent().resolve("docs/reference.md");

  @Test
  void referenceMatchesDescriptor() throws IOException {
    String generated = ReferenceGenerator.markdown(PluginDescriptorReader.read());
    if (Boolean.getBoolean("debimage.writeReference")) {
      Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.isRegularFile(REFERENCE), REFERENCE + " is missing: run " + ReferenceGenerator.COMMAND);
    assertEquals(generated, Files.readString(REFERENCE, StandardCharsets.UTF_8),
        REFERENCE + " is stale: run " + ReferenceGenerator.COMMAND);
  }

  @Test
  void everyParameterHasPropertyAndDefault() {
    List<String> problems = ReferenceGenerator.problems(PluginDescriptorReader.read());

    assertEquals(List.of(), problems, String.join("\n", problems));
  }

  @Test
  void referenceListsEveryGoal() {
    PluginDescriptorReader.Plugin plugin = PluginDescriptorReader.read();
    String generated = ReferenceGenerator.markdown(plugin);

    assertEquals(
        List.of("build", "help", "lock", "outdated", "packages"),
        plugin.goals().stream().map(PluginDescriptorReader.Goal::name).toList());
    for (PluginDescriptorReader.Goal goal : plugin.goals()) {
      assertTrue(generated.contains("\n## image:" + goal.name() + "\n"), "no section for " + goal.name());
      for (PluginDescriptorReader.Parameter parameter : goal.parameters()) {
        assertTrue(generated.contains("| `" + parameter.name() + "` |"), "no row for " + parameter.name());
      }
    }
  }

  @Test
  void descriptorKeepsPropertiesAndDefaults() {
    PluginDescriptorReader.Goal build = PluginDescriptorReader.read().goals().stream()
        .filter(goal -> goal.name().equals("build")).findFirst().orElseThrow();
    PluginDescriptorReader.Parameter image = build.parameters().stream()
        .filter(parameter -> parameter.name().equals("image")).findFirst().orElseThrow();

    assertEquals("package", build.phase());
    assertEquals("image.image", image.userProperty());
    assertEquals("${project.artifactId}:${project.version}", image.defaultValue());
    assertEquals("String", image.type().substring(image.type().lastIndexOf('.') + 1));
  }
}
