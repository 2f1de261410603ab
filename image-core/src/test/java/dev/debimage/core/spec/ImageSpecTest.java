package dev.debimage.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests the checks that {@link ImageSpec.Builder#build()} makes on its values. */
class ImageSpecTest {

  private static ImageSpec.Builder spec() {
    return ImageSpec.builder()
        .addPackage("curl")
        .architecture("amd64")
        .timestamp(Instant.EPOCH)
        .imageReference("test/spec:1")
        .outputDirectory(Path.of("out"))
        .cacheDirectory(Path.of("cache"));
  }

  @Test
  void entrypointAsListIsKept() {
    ImageSpec spec = spec().entrypoint(List.of("/usr/bin/curl", "--version")).build();
    assertEquals(List.of("/usr/bin/curl", "--version"), spec.entrypoint());
  }

  @Test
  void oneStringEntrypointIsRejected() {
    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> spec().entrypoint(List.of("/usr/bin/curl --version")).build());
    assertTrue(error.getMessage().contains("'/usr/bin/curl --version'"), error.getMessage());
    assertTrue(error.getMessage().contains("<arg>/usr/bin/curl</arg><arg>--version</arg>"), error.getMessage());
  }

  @Test
  void upperCasePackageNameIsRejected() {
    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> spec().addPackage("Curl").build());
    assertTrue(error.getMessage().contains("'Curl'"), error.getMessage());
  }
}
