package dev.debimage.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Proxy;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.TestInfo;

/**
 * A real {@link MavenProject} and {@link MavenSession} in a temporary directory, for the mojo
 * configuration tests: the harness evaluates {@code ${project.*}} and {@code ${session}} against
 * them and the user properties as {@code -D} would set them.
 */
final class TestProject {

  /**
   * A user property that {@link #applyAnnotations} sets for one test method, as {@code
   * -Dname=value} on the command line does.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @Repeatable(UserProperties.class)
  @interface UserProperty {
    String name();

    String value();
  }

  /** The container of repeated {@link UserProperty} annotations. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface UserProperties {
    UserProperty[] value();
  }

  /** Marks a test method whose session runs offline, as {@code mvn -o} does. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface Offline {}

  private final Path basedir;
  private final MavenExecutionRequest request = new DefaultMavenExecutionRequest();
  private MavenProject project;
  private MavenSession session;

  TestProject(Path basedir) {
    this.basedir = basedir;
    request.setUserProperties(new Properties());
    request.setSystemProperties(new Properties());
    request.setBaseDirectory(basedir.toFile());
  }

  /**
   * Sets the user properties and the offline mode that the test method's annotations name. Call
   * it from a {@code @BeforeEach} method: the harness configures the mojo after those run, when it
   * resolves the test method's parameters.
   */
  void applyAnnotations(TestInfo test) {
    Method method = test.getTestMethod().orElseThrow();
    for (UserProperty property : method.getAnnotationsByType(UserProperty.class)) {
      request.getUserProperties().setProperty(property.name(), property.value());
    }
    request.setOffline(method.isAnnotationPresent(Offline.class));
  }

  /** Adds an active {@code <proxy>} of settings.xml. */
  TestProject proxy(String protocol, String host, int port) {
    Proxy proxy = new Proxy();
    proxy.setProtocol(protocol);
    proxy.setHost(host);
    proxy.setPort(port);
    proxy.setActive(true);
    request.addProxy(proxy);
    return this;
  }

  /** Returns the project {@code com.example:orders:1.4.2} with its pom in the base directory. */
  MavenProject project() {
    if (project == null) {
      Model model = new Model();
      model.setGroupId("com.example");
      model.setArtifactId("orders");
      model.setVersion("1.4.2");
      model.setName("Orders service");
      model.setDescription("Takes orders.");
      Build build = new Build();
      build.setDirectory(basedir.resolve("target").toString());
      build.setOutputDirectory(basedir.resolve("target/classes").toString());
      model.setBuild(build);
      project = new MavenProject(model);
      project.setFile(basedir.resolve("pom.xml").toFile());
      project.setArtifacts(new LinkedHashSet<Artifact>());
    }
    return project;
  }

  /** Returns the session; it reads the user properties, offline mode and proxies as they are set. */
  @SuppressWarnings("deprecation")
  MavenSession session() {
    if (session == null) {
      // Maven 3.9 still offers this constructor; the harness needs a session that is not a mock.
      session = new MavenSession(
          null, new DefaultRepositorySystemSession(), request, new DefaultMavenExecutionResult());
      session.setCurrentProject(project());
      session.setProjects(List.of(project()));
    }
    return session;
  }

  /** Writes a compiled-class placeholder so that the main class check finds {@code className}. */
  void addClass(String className) {
    Path file = basedir.resolve("target/classes").resolve(className.replace('.', '/') + ".class");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
