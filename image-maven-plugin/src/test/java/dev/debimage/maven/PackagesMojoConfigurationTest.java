package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.resolution.Variant;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.maven.TestProject.UserProperty;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** Configures {@code image:packages} from poms and user properties. */
@MojoTest
class PackagesMojoConfigurationTest extends MojoTestSupport {

  private static final String POM = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>curl</package>
                </packages>
                <variant>apt</variant>
                <preferSuites>
                  <suite>bookworm-backports</suite>
                </preferSuites>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  @Test
  @InjectMojo(goal = "packages", pom = POM)
  void pomConfigurationAndDefaults(PackagesMojo mojo) throws Exception {
    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(List.of("curl"), spec.packages());
    assertEquals(Variant.APT, spec.resolveOptions().variant());
    assertEquals(List.of("bookworm-backports"), spec.resolveOptions().preferSuites());
    assertEquals(true, MojoExtension.getVariableValueFromObject(mojo, "useLockfile"));
    assertEquals(false, MojoExtension.getVariableValueFromObject(mojo, "skip"));
  }

  @Test
  @InjectMojo(goal = "packages", pom = POM)
  @UserProperty(name = "image.useLockfile", value = "false")
  @UserProperty(name = "image.architecture", value = "riscv64")
  @UserProperty(name = "image.installRecommends", value = "true")
  void userPropertiesSetParameters(PackagesMojo mojo) throws Exception {
    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(false, MojoExtension.getVariableValueFromObject(mojo, "useLockfile"));
    assertEquals("riscv64", spec.architecture());
    assertTrue(spec.resolveOptions().installRecommends());
  }

  @Test
  @InjectMojo(goal = "packages", pom = POM)
  @UserProperty(name = "image.skip", value = "true")
  @UserProperty(name = "image.variant", value = "buildd")
  void skipRunsNoCheck(PackagesMojo mojo) throws Exception {
    // The invalid variant would fail the goal if skip did not return first.
    mojo.execute();
  }

  @Test
  @InjectMojo(goal = "packages", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>curl</package>
                </packages>
                <variant>extract</variant>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void unsupportedVariantNamesValue(PackagesMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("invalid variant 'extract'"), e.getMessage());
    assertTrue(e.getMessage().contains("extract and buildd are not supported"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "packages", pom = POM)
  @UserProperty(name = "image.architecture", value = "AMD64")
  void invalidArchitectureNamesValue(PackagesMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("invalid architecture 'AMD64'"), e.getMessage());
  }
}
