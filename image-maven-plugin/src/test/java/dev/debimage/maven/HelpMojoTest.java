package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** Runs the generated {@code image:help} goal and checks that it lists every goal and parameter. */
@MojoTest
class HelpMojoTest extends MojoTestSupport {

  @Test
  @InjectMojo(goal = "help")
  @MojoParameter(name = "detail", value = "true")
  void helpListsGoalsAndParameters(Mojo mojo) throws Exception {
    List<String> lines = new ArrayList<>();
    mojo.setLog(new SystemStreamLog() {
      @Override
      public void info(CharSequence content) {
        lines.add(content.toString());
      }
    });

    mojo.execute();

    String help = String.join("\n", lines);
    for (String goal : List.of("image:build", "image:help", "image:lock", "image:outdated", "image:packages")) {
      assertTrue(help.contains(goal), "image:help lacks " + goal + ":\n" + help);
    }
    for (PluginDescriptorReader.Goal goal : PluginDescriptorReader.read().goals()) {
      for (PluginDescriptorReader.Parameter parameter : goal.parameters()) {
        assertTrue(help.contains(parameter.name()), "image:help lacks " + parameter.name() + ":\n" + help);
        if (parameter.userProperty() != null) {
          assertTrue(help.contains("User property: " + parameter.userProperty()),
              "image:help lacks the user property " + parameter.userProperty());
        }
      }
    }
  }
}
