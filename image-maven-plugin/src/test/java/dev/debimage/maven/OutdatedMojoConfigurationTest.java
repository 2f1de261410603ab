package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.spec.ImageSpec;
import dev.debimage.maven.TestProject.UserProperty;
import java.io.File;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * Configures {@code image:outdated} from poms and user properties and checks the errors it raises
 * before reading any index.
 */
@MojoTest
class OutdatedMojoConfigurationTest extends MojoTestSupport {

  private static final String POM = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>libc6</package>
                </packages>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  @Test
  @InjectMojo(goal = "outdated", pom = POM)
  void defaults(OutdatedMojo mojo) throws Exception {
    assertEquals("false", MojoExtension.getVariableValueFromObject(mojo, "failOnOutdated"));
    assertEquals(
        basedir.resolve("target/image").toFile(), MojoExtension.getVariableValueFromObject(mojo, "outputDirectory"));
    assertEquals(basedir.resolve("image.lock.json").toFile(), mojo.lockfile());
  }

  @Test
  @InjectMojo(goal = "outdated", pom = POM)
  @UserProperty(name = "image.architecture", value = "arm64")
  @UserProperty(name = "image.preferSuites", value = "bookworm-security")
  void packageParametersMapOntoSpec(OutdatedMojo mojo) throws Exception {
    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(List.of("libc6"), spec.packages());
    assertEquals("arm64", spec.architecture());
    assertEquals(List.of("bookworm-security"), spec.resolveOptions().preferSuites());
    assertEquals(List.of(), spec.sources(), "no <sources> means the host's apt sources");
  }

  @Test
  @InjectMojo(goal = "outdated", pom = POM)
  @UserProperty(name = "image.failOnOutdated", value = "security")
  @UserProperty(name = "image.outputDirectory", value = "/srv/last-build")
  void userPropertiesSetParameters(OutdatedMojo mojo) throws Exception {
    assertEquals("security", MojoExtension.getVariableValueFromObject(mojo, "failOnOutdated"));
    assertEquals(new File("/srv/last-build"), MojoExtension.getVariableValueFromObject(mojo, "outputDirectory"));
  }

  @Test
  @InjectMojo(goal = "outdated", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>libc6</package>
                </packages>
                <failOnOutdated>always</failOnOutdated>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void invalidFailOnOutdatedNamesParameter(OutdatedMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertEquals(
        "invalid failOnOutdated value 'always': use true (fail on any newer package), security (fail on"
            + " security updates only) or false",
        e.getMessage());
  }

  @Test
  @InjectMojo(goal = "outdated", pom = POM)
  void nothingToCompareNamesBothFiles(OutdatedMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("nothing to compare with the archive"), e.getMessage());
    assertTrue(e.getMessage().contains(basedir.resolve("image.lock.json").toString()), e.getMessage());
    assertTrue(e.getMessage().contains(basedir.resolve("target/image/packages.json").toString()), e.getMessage());
    assertTrue(e.getMessage().endsWith("Run mvn image:lock or mvn package first"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "outdated", pom = POM)
  @UserProperty(name = "image.skip", value = "true")
  void skipComparesNothing(OutdatedMojo mojo) throws Exception {
    // Without skip, the missing lockfile and packages.json would fail the goal.
    mojo.execute();
  }
}
