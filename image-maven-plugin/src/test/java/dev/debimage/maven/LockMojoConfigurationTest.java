package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.resolution.Variant;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.maven.TestProject.Offline;
import dev.debimage.maven.TestProject.UserProperty;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * Configures {@code image:lock} from poms and user properties and checks the package parameters
 * that it shares with the other goals, and the errors it raises before reading any index.
 */
@MojoTest
class LockMojoConfigurationTest extends MojoTestSupport {

  private static final String POM = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sources>
                  <source>
                    <uris>http://127.0.0.1:8080/ubuntu</uris>
                    <suites>noble noble-updates</suites>
                    <components>main universe</components>
                  </source>
                </sources>
                <packages>
                  <package>ca-certificates</package>
                </packages>
                <architecture>arm64</architecture>
                <installRecommends>true</installRecommends>
                <forceExcludeEssential>true</forceExcludeEssential>
                <excludes>
                  <exclude>bash</exclude>
                </excludes>
                <lockfile>image-arm64.lock.json</lockfile>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  @Test
  @InjectMojo(goal = "lock", pom = POM)
  void pomConfigurationMapsOntoPackageSpec(LockMojo mojo) throws Exception {
    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(List.of(URI.create("http://127.0.0.1:8080/ubuntu")), spec.sources().get(0).uris());
    assertEquals(List.of("noble", "noble-updates"), spec.sources().get(0).suites());
    assertEquals(List.of("main", "universe"), spec.sources().get(0).components());
    assertEquals(List.of("ca-certificates"), spec.packages());
    assertEquals("arm64", spec.architecture());
    assertEquals(new ResolveOptions(Variant.CUSTOM, true, List.of("bash"), true, List.of()), spec.resolveOptions());
    assertEquals(basedir.resolve("image-arm64.lock.json").toFile(), mojo.lockfile());
  }

  @Test
  @InjectMojo(goal = "lock", pom = POM)
  @UserProperty(name = "image.lockfile", value = "other.lock.json")
  @UserProperty(name = "image.cacheDirectory", value = "/var/cache/debimage")
  @Offline
  void userPropertiesAndOfflineMode(LockMojo mojo) throws Exception {
    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(basedir.resolve("image-arm64.lock.json").toFile(), mojo.lockfile(), "the pom's <lockfile> wins");
    assertEquals(Path.of("/var/cache/debimage"), spec.cacheDirectory());
    assertTrue(spec.offline());
  }

  @Test
  @InjectMojo(goal = "lock", pom = """
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
      """)
  @UserProperty(name = "image.lockfile", value = "locks/service.lock.json")
  void lockfilePropertyIsRelativeToBasedir(LockMojo mojo) throws Exception {
    assertEquals(basedir.resolve("locks/service.lock.json").toFile(), mojo.lockfile());
    assertEquals("amd64", MojoExtension.getVariableValueFromObject(mojo, "architecture"));
    assertEquals("custom", MojoExtension.getVariableValueFromObject(mojo, "variant"));
  }

  @Test
  @InjectMojo(goal = "lock", pom = """
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
      """)
  void lockfileDefaultsToProjectBasedir(LockMojo mojo) {
    assertEquals(basedir.resolve("image.lock.json").toFile(), mojo.lockfile());
  }

  @Test
  @InjectMojo(goal = "lock", pom = POM)
  @UserProperty(name = "image.skip", value = "true")
  void skipWritesNoLockfile(LockMojo mojo) throws Exception {
    mojo.execute();

    assertFalse(Files.exists(basedir.resolve("image-arm64.lock.json")));
  }

  @Test
  @InjectMojo(goal = "lock", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sources>
                  <source>
                    <uris>http://127.0.0.1:8080/debian</uris>
                    <components>main</components>
                  </source>
                </sources>
                <packages>
                  <package>libc6</package>
                </packages>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void sourceWithoutSuitesNamesElement(LockMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertEquals(
        "missing <suites> in <sources> entry 1 of the pom: set one or more suites, such as bookworm"
            + " bookworm-updates",
        e.getMessage());
  }

  @Test
  @InjectMojo(goal = "lock", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sourcesFiles>
                  <sourcesFile>team.sources</sourcesFile>
                  <sourcesFile>extra.list</sourcesFile>
                </sourcesFiles>
                <packages>
                  <package>libc6</package>
                </packages>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void sourcesFilesInBothFormats(LockMojo mojo) throws Exception {
    Files.writeString(basedir.resolve("team.sources"), """
        Types: deb
        URIs: http://127.0.0.1:8080/debian
        Suites: bookworm bookworm-updates
        Components: main
        """);
    Files.writeString(basedir.resolve("extra.list"), "deb http://127.0.0.1:8081/debian-security bookworm-security main\n");

    ImageSpec spec = mojo.packageSpec().outputDirectory(basedir.resolve("target/image")).build();

    assertEquals(2, spec.sources().size());
    assertEquals(List.of(URI.create("http://127.0.0.1:8080/debian")), spec.sources().get(0).uris());
    assertEquals(List.of("bookworm", "bookworm-updates"), spec.sources().get(0).suites());
    assertEquals(List.of("bookworm-security"), spec.sources().get(1).suites());
  }

  @Test
  @InjectMojo(goal = "lock", pom = POM)
  @UserProperty(name = "image.excludes", value = "Bash")
  void invalidExcludeNamesValue(LockMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("invalid excluded package 'Bash'"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "lock", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void noPackagesNamesParameter(LockMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

    assertTrue(e.getMessage().startsWith("no packages requested"), e.getMessage());
    assertTrue(e.getMessage().contains("<packages>"), e.getMessage());
  }
}
