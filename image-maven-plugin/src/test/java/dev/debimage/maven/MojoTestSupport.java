package dev.debimage.maven;

import java.nio.file.Path;
import org.apache.maven.api.di.Provides;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project and session that the harness configures a mojo against, in a temporary base
 * directory, with the user properties and offline mode of each test method's annotations.
 */
abstract class MojoTestSupport {

  @TempDir Path basedir;

  private TestProject test;

  /** Returns the project and session of the current test. */
  TestProject test() {
    if (test == null) {
      test = new TestProject(basedir);
    }
    return test;
  }

  @Provides
  MavenProject project() {
    return test().project();
  }

  @Provides
  MavenSession session() {
    return test().session();
  }

  @BeforeEach
  void applyAnnotations(TestInfo info) {
    test().applyAnnotations(info);
  }
}
