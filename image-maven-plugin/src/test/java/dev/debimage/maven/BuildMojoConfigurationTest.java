package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.fetch.ProxySettings;
import dev.debimage.core.layers.LayerCompression;
import dev.debimage.core.policy.ImagePolicy;
import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.resolution.Variant;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.maven.TestProject.Offline;
import dev.debimage.maven.TestProject.UserProperty;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configures {@code image:build} from poms and user properties, as Maven does, and checks the
 * mojo's fields and the {@link ImageSpec} it builds from them.
 */
@MojoTest
class BuildMojoConfigurationTest extends MojoTestSupport {

  private static final String MINIMAL_POM = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>openjdk-17-jre-headless</package>
                </packages>
                <mainClass>com.example.orders.Main</mainClass>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  private static final String FULL_POM = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sources>
                  <source>
                    <uris>http://127.0.0.1:8080/debian http://127.0.0.1:8081/debian</uris>
                    <suites>bookworm bookworm-updates</suites>
                    <components>main contrib</components>
                    <signedBy>/etc/keys/archive.gpg</signedBy>
                    <architectures>arm64</architectures>
                    <allowExpiredKeys>true</allowExpiredKeys>
                  </source>
                  <source>
                    <uris>file:/srv/local-repo</uris>
                    <suites>stable</suites>
                    <trusted>true</trusted>
                  </source>
                </sources>
                <packages>
                  <package>openjdk-17-jre-headless</package>
                  <package>tzdata=2024a-0+deb12u1</package>
                </packages>
                <architecture>arm64</architecture>
                <variant>minbase</variant>
                <installRecommends>true</installRecommends>
                <excludes>
                  <exclude>perl-base</exclude>
                </excludes>
                <preferSuites>
                  <suite>bookworm-updates</suite>
                </preferSuites>
                <cacheDirectory>cache</cacheDirectory>
                <lockfile>locks/orders.lock.json</lockfile>
                <mainClass>com.example.orders.Main</mainClass>
                <jvmFlags>
                  <flag>-Xss1m</flag>
                  <flag>-XX:MaxRAMPercentage=75</flag>
                </jvmFlags>
                <args>
                  <arg>--port=8080</arg>
                </args>
                <environment>
                  <LANG>C.UTF-8</LANG>
                </environment>
                <image>registry.example.com/team/orders:1.4.2</image>
                <user>10001:10001</user>
                <workingDirectory>/srv</workingDirectory>
                <outputDirectory>out/image</outputDirectory>
                <outputTimestamp>2026-03-01T12:00:00Z</outputTimestamp>
                <provenance>true</provenance>
                <ports>
                  <port>8080</port>
                  <port>53/udp</port>
                </ports>
                <volumes>
                  <volume>/data</volume>
                </volumes>
                <labels>
                  <team>payments</team>
                  <org.opencontainers.image.title>Orders</org.opencontainers.image.title>
                </labels>
                <stopSignal>SIGINT</stopSignal>
                <timezone>Europe/Berlin</timezone>
                <compression>zstd</compression>
                <pathFilters>
                  <filter>path-exclude=/usr/share/doc/*</filter>
                  <filter>path-include=/usr/share/doc/*/copyright</filter>
                </pathFilters>
                <policy>
                  <forbiddenPackages>
                    <package>bash</package>
                  </forbiddenPackages>
                  <forbiddenPaths>
                    <path>/bin/sh</path>
                  </forbiddenPaths>
                  <forbidSetuid>true</forbidSetuid>
                  <maxInstalledBytes>150000000</maxInstalledBytes>
                </policy>
                <push>false</push>
                <tags>
                  <tag>latest</tag>
                  <tag>1.4</tag>
                </tags>
                <load>false</load>
                <dockerExecutable>/opt/docker/bin/docker</dockerExecutable>
                <allowInsecureRegistries>
                  <registry>registry.example.com</registry>
                </allowInsecureRegistries>
                <attach>true</attach>
                <classifier>oci</classifier>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """;

  @BeforeEach
  void addMainClass() {
    test().addClass("com.example.orders.Main");
  }

  @Test
  @InjectMojo(goal = "build", pom = FULL_POM)
  void pomConfigurationMapsOntoSpec(BuildMojo mojo) throws Exception {
    ImageSpec spec = mojo.toSpec();

    assertEquals(2, spec.sources().size());
    SourceSpec debian = spec.sources().get(0);
    assertEquals(
        List.of(URI.create("http://127.0.0.1:8080/debian"), URI.create("http://127.0.0.1:8081/debian")),
        debian.uris());
    assertEquals(List.of("bookworm", "bookworm-updates"), debian.suites());
    assertEquals(List.of("main", "contrib"), debian.components());
    assertEquals(Optional.of("/etc/keys/archive.gpg"), debian.signedBy());
    assertEquals(List.of("arm64"), debian.architectures());
    assertTrue(debian.allowExpiredKeys());
    assertFalse(debian.trusted());
    assertEquals("<sources> entry 1 of the pom", debian.origin());
    SourceSpec local = spec.sources().get(1);
    assertEquals(List.of("main"), local.components(), "components default to main");
    assertTrue(local.trusted());
    assertEquals(List.of(), local.architectures());

    assertEquals(List.of("openjdk-17-jre-headless", "tzdata=2024a-0+deb12u1"), spec.packages());
    assertEquals("arm64", spec.architecture());
    assertEquals(
        new ResolveOptions(Variant.REQUIRED, true, List.of("perl-base"), false, List.of("bookworm-updates")),
        spec.resolveOptions());
    assertEquals(basedir.resolve("cache"), spec.cacheDirectory());
    assertEquals(Optional.of(basedir.resolve("locks/orders.lock.json")), spec.lockfile());

    List<String> entrypoint = spec.entrypoint();
    assertEquals(List.of("java", "-Xss1m", "-XX:MaxRAMPercentage=75", "-cp"), entrypoint.subList(0, 4));
    assertEquals("/app/resources:/app/classes", entrypoint.get(4));
    assertEquals("com.example.orders.Main", entrypoint.get(5));
    assertEquals(List.of("--port=8080"), spec.cmd());
    assertEquals("C.UTF-8", spec.environment().get("LANG"));
    assertEquals(ImageSpec.DEFAULT_PATH, spec.environment().get("PATH"));
    assertEquals("registry.example.com/team/orders:1.4.2", spec.imageReference());
    assertEquals(List.of("latest", "1.4"), spec.additionalTags());
    assertEquals("10001:10001", spec.user());
    assertEquals("/srv", spec.workingDirectory());
    assertEquals(basedir.resolve("out/image"), spec.outputDirectory());
    assertEquals(Instant.parse("2026-03-01T12:00:00Z"), spec.timestamp());
    assertTrue(spec.provenance());
    assertEquals(Set.of("8080/tcp", "53/udp"), Set.copyOf(normalizedPorts(spec.exposedPorts())));
    assertEquals(Set.of("/data"), spec.volumes());
    assertEquals("payments", spec.labels().get("team"));
    assertEquals("Orders", spec.labels().get("org.opencontainers.image.title"), "<labels> replace project labels");
    assertEquals("Orders service", spec.annotations().get("org.opencontainers.image.title"));
    assertEquals("1.4.2", spec.labels().get("org.opencontainers.image.version"));
    assertEquals(Optional.of("SIGINT"), spec.stopSignal());
    assertEquals("Europe/Berlin", spec.timezone());
    assertEquals(LayerCompression.ZSTD, spec.layerCompression());
    assertEquals(
        List.of("path-exclude=/usr/share/doc/*", "path-include=/usr/share/doc/*/copyright"), spec.pathFilters());
    assertEquals(
        new ImagePolicy(List.of("bash"), List.of("/bin/sh"), true, OptionalLong.of(150_000_000L)),
        spec.policy());

    assertEquals(false, MojoExtension.getVariableValueFromObject(mojo, "push"));
    assertEquals("false", MojoExtension.getVariableValueFromObject(mojo, "load"));
    assertEquals("/opt/docker/bin/docker", MojoExtension.getVariableValueFromObject(mojo, "dockerExecutable"));
    assertEquals(List.of("registry.example.com"), MojoExtension.getVariableValueFromObject(mojo, "allowInsecureRegistries"));
    assertEquals(true, MojoExtension.getVariableValueFromObject(mojo, "attach"));
    assertEquals("oci", MojoExtension.getVariableValueFromObject(mojo, "classifier"));
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  void defaultsApplyWithoutConfiguration(BuildMojo mojo) throws Exception {
    ImageSpec spec = mojo.toSpec();

    assertEquals(List.of(), spec.sources(), "no <sources> means the host's apt sources");
    assertEquals("amd64", spec.architecture());
    assertEquals(ResolveOptions.DEFAULT, spec.resolveOptions());
    assertEquals(ImageSpec.defaultCacheDirectory(), spec.cacheDirectory());
    assertEquals(Optional.of(basedir.resolve("image.lock.json")), spec.lockfile());
    assertEquals("orders:1.4.2", spec.imageReference());
    assertEquals(List.of(), spec.additionalTags());
    assertEquals("nonroot", spec.user());
    assertEquals("/", spec.workingDirectory());
    assertEquals(basedir.resolve("target/image"), spec.outputDirectory());
    assertEquals(Instant.EPOCH, spec.timestamp(), "no project.build.outputTimestamp means the epoch");
    assertEquals("Etc/UTC", spec.timezone());
    assertEquals(LayerCompression.GZIP, spec.layerCompression());
    assertTrue(spec.pathFilters().contains("path-exclude=/usr/share/doc/*"), "default path filters: " + spec.pathFilters());
    assertTrue(spec.pathFilters().contains("path-include=/usr/share/doc/*/copyright"), "default path filters: " + spec.pathFilters());
    assertEquals(ImagePolicy.NONE, spec.policy());
    assertFalse(spec.provenance());
    assertFalse(spec.offline());
    assertEquals(Optional.empty(), spec.proxySettings());
    assertEquals(List.of(), spec.cmd());
    assertEquals(Set.of(), spec.exposedPorts());
    assertEquals(Optional.empty(), spec.stopSignal());
    assertEquals(
        List.of("java", "-cp", "/app/resources:/app/classes", "com.example.orders.Main"), spec.entrypoint());

    assertEquals(false, MojoExtension.getVariableValueFromObject(mojo, "skip"));
    assertEquals(true, MojoExtension.getVariableValueFromObject(mojo, "useLockfile"));
    assertEquals(true, MojoExtension.getVariableValueFromObject(mojo, "push"));
    assertEquals("auto", MojoExtension.getVariableValueFromObject(mojo, "load"));
    assertEquals("docker", MojoExtension.getVariableValueFromObject(mojo, "dockerExecutable"));
    assertEquals(false, MojoExtension.getVariableValueFromObject(mojo, "attach"));
    assertEquals("image", MojoExtension.getVariableValueFromObject(mojo, "classifier"));
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.tags", value = "latest,latest")
  void duplicateTagFailsBeforeBuild(BuildMojo mojo) {
    ImageBuildException e = assertThrows(ImageBuildException.class, mojo::toSpec);

    assertTrue(e.getMessage().contains("duplicate tag 'latest'"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.architecture", value = "arm64")
  @UserProperty(name = "image.image", value = "localhost:5000/orders:2")
  @UserProperty(name = "image.user", value = "65534")
  @UserProperty(name = "image.workingDirectory", value = "/work")
  @UserProperty(name = "image.compression", value = "zstd")
  @UserProperty(name = "image.ports", value = "8080,9090/udp")
  @UserProperty(name = "image.timestamp", value = "1767225600")
  @UserProperty(name = "image.variant", value = "essential")
  @UserProperty(name = "image.excludes", value = "perl-base,bash")
  @UserProperty(name = "image.pathFilters", value = "path-include=/*")
  @UserProperty(name = "image.useLockfile", value = "false")
  @UserProperty(name = "image.provenance", value = "true")
  @UserProperty(name = "image.timezone", value = "Asia/Tokyo")
  @UserProperty(name = "image.outputDirectory", value = "/tmp/elsewhere")
  @UserProperty(name = "image.tags", value = "latest,2.0")
  @UserProperty(name = "image.load", value = "true")
  void userPropertiesSetParameters(BuildMojo mojo) throws Exception {
    ImageSpec spec = mojo.toSpec();

    assertEquals(List.of("latest", "2.0"), spec.additionalTags());
    assertEquals("true", MojoExtension.getVariableValueFromObject(mojo, "load"));

    assertEquals("arm64", spec.architecture());
    assertEquals("localhost:5000/orders:2", spec.imageReference());
    assertEquals("65534", spec.user());
    assertEquals("/work", spec.workingDirectory());
    assertEquals(LayerCompression.ZSTD, spec.layerCompression());
    assertEquals(Set.of("8080/tcp", "9090/udp"), Set.copyOf(normalizedPorts(spec.exposedPorts())));
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), spec.timestamp());
    assertEquals(Variant.ESSENTIAL, spec.resolveOptions().variant());
    assertEquals(List.of("perl-base", "bash"), spec.resolveOptions().excludes());
    assertEquals(List.of("path-include=/*"), spec.pathFilters());
    assertEquals(Optional.empty(), spec.lockfile(), "-Dimage.useLockfile=false ignores the lockfile");
    assertTrue(spec.provenance());
    assertEquals("Asia/Tokyo", spec.timezone());
    assertEquals(Path.of("/tmp/elsewhere"), spec.outputDirectory());
  }

  @Test
  @InjectMojo(goal = "build", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>libc6</package>
                </packages>
                <mainClass>com.example.orders.Main</mainClass>
                <architecture>amd64</architecture>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  @UserProperty(name = "image.architecture", value = "arm64")
  @UserProperty(name = "image.packages", value = "bash")
  void pomValueWinsOverScalarProperty(BuildMojo mojo) throws Exception {
    ImageSpec spec = mojo.toSpec();

    assertEquals("amd64", spec.architecture(), "a value in the pom wins over -Dimage.architecture");
    // Maven merges the property expression into a list parameter's element, and its converter
    // takes the expression's value before the child elements.
    assertEquals(List.of("bash"), spec.packages(), "-Dimage.packages replaces the pom's list");
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "project.build.outputTimestamp", value = "2025-05-05T05:05:05Z")
  void projectOutputTimestampSetsTimestamp(BuildMojo mojo) throws Exception {
    assertEquals(Instant.parse("2025-05-05T05:05:05Z"), mojo.toSpec().timestamp());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @Offline
  void offlineSessionAndProxiesReachSpec(BuildMojo mojo) throws Exception {
    test().proxy("http", "proxy.example.com", 3128);

    ImageSpec spec = mojo.toSpec();

    assertTrue(spec.offline());
    ProxySettings proxies = spec.proxySettings().orElseThrow();
    assertEquals("proxy.example.com", proxies.http().orElseThrow().host());
    assertEquals(3128, proxies.http().orElseThrow().port());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.skip", value = "true")
  void skipWritesNothing(BuildMojo mojo) throws Exception {
    mojo.execute();

    assertFalse(Files.exists(basedir.resolve("target/image")));
  }

  @Test
  @InjectMojo(goal = "build", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>busybox-static</package>
                </packages>
                <entrypoint>
                  <arg>/bin/busybox</arg>
                  <arg>httpd</arg>
                </entrypoint>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void entrypointReplacesMainClass(BuildMojo mojo) throws Exception {
    assertEquals(List.of("/bin/busybox", "httpd"), mojo.toSpec().entrypoint());
  }

  @Test
  @InjectMojo(goal = "build", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <packages>
                  <package>openjdk-17-jre-headless</package>
                </packages>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void missingMainClassNamesParameter(BuildMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertTrue(e.getMessage().startsWith("missing <mainClass>"), e.getMessage());
    assertTrue(e.getMessage().contains("<entrypoint>"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  void unknownMainClassNamesParameter(BuildMojo mojo) throws Exception {
    MojoExtension.setVariableValueToObject(mojo, "mainClass", "com.example.orders.Mian");

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertTrue(e.getMessage().startsWith("main class 'com.example.orders.Mian' not found"), e.getMessage());
    assertTrue(e.getMessage().contains("check <mainClass>"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sources>
                  <source>
                    <suites>bookworm</suites>
                  </source>
                </sources>
                <packages>
                  <package>libc6</package>
                </packages>
                <mainClass>com.example.orders.Main</mainClass>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void sourceWithoutUrisNamesElement(BuildMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertEquals(
        "missing <uris> in <sources> entry 1 of the pom: set the archive URL, such as http://MIRROR/debian",
        e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = """
      <project>
        <build>
          <plugins>
            <plugin>
              <artifactId>image-maven-plugin</artifactId>
              <configuration>
                <sources>
                  <source>
                    <uris>http://127.0.0.1/debian</uris>
                    <suites>bookworm</suites>
                  </source>
                  <source>
                    <uris>deb.example.org/debian</uris>
                    <suites>bookworm</suites>
                  </source>
                </sources>
                <packages>
                  <package>libc6</package>
                </packages>
                <mainClass>com.example.orders.Main</mainClass>
              </configuration>
            </plugin>
          </plugins>
        </build>
      </project>
      """)
  void sourceWithoutSchemeNamesEntry(BuildMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertEquals(
        "invalid URI 'deb.example.org/debian' in <uris> of <sources> entry 2 of the pom: use an http,"
            + " https or file URL",
        e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.timestamp", value = "yesterday")
  void invalidTimestampNamesProperty(BuildMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertTrue(e.getMessage().startsWith("invalid build timestamp 'yesterday'"), e.getMessage());
    assertTrue(e.getMessage().contains("project.build.outputTimestamp"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.variant", value = "buildd")
  void invalidVariantNamesValue(BuildMojo mojo) {
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertTrue(e.getMessage().startsWith("invalid variant 'buildd': expected one of custom,"), e.getMessage());
  }

  @Test
  @InjectMojo(goal = "build", pom = MINIMAL_POM)
  @UserProperty(name = "image.multistrapConfig", value = "multistrap.conf")
  void multistrapConfigWithSourcesNamesBoth(BuildMojo mojo) throws Exception {
    Source source = new Source();
    source.setUris("http://127.0.0.1/debian");
    source.setSuites("bookworm");
    MojoExtension.setVariableValueToObject(mojo, "sources", List.of(source));

    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::toSpec);

    assertTrue(e.getMessage().startsWith("both <multistrapConfig> and <sources> are set"), e.getMessage());
  }

  /** Returns the ports with the default protocol spelled out, whichever form the spec keeps. */
  private static List<String> normalizedPorts(Set<String> ports) {
    return ports.stream().map(port -> port.contains("/") ? port : port + "/tcp").toList();
  }
}
