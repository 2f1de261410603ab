package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.PathDirective;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Checks that image-core's real messages about invalid values get the parameter that set them. */
class ParameterHintsTest {

  private static String failure(UnaryOperator<ImageSpec.Builder> change) {
    ImageSpec.Builder builder = ImageSpec.builder()
        .addPackage("curl")
        .architecture("amd64")
        .timestamp(Instant.EPOCH)
        .imageReference("test/hints:1")
        .outputDirectory(Path.of("out"))
        .cacheDirectory(Path.of("cache"));
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> change.apply(builder).build());
    return ParameterHints.withParameter(error.getMessage());
  }

  @Test
  void compressionNamesItsParameter() {
    String message = failure(builder -> builder.layerCompression("xz"));

    assertTrue(message.endsWith("(set by <compression> or -Dimage.compression)"), message);
  }

  @Test
  void timezoneNamesItsParameter() {
    String message = failure(builder -> builder.timezone("Europe Berlin"));

    assertTrue(message.endsWith("(set by <timezone> or -Dimage.timezone)"), message);
  }

  @Test
  void portNamesItsParameter() {
    String message = failure(builder -> builder.exposePort("99999"));

    assertTrue(message.endsWith("(set by <ports> or -Dimage.ports)"), message);
  }

  @Test
  void architectureNamesItsParameter() {
    String message = failure(builder -> builder.architecture("x86_64"));

    assertTrue(message.contains("(set by <architecture>"), message);
  }

  @Test
  void entrypointNamesItsParameter() {
    String message = failure(builder -> builder.entrypoint(List.of("/usr/bin/curl --version")));

    assertTrue(message.endsWith("(set by <entrypoint> or -Dimage.entrypoint)"), message);
  }

  @Test
  void unknownZoneNamesItsParameter() {
    String message = ParameterHints.withParameter("time zone 'Europe/Berln' not found: tzdata has no file");

    assertTrue(message.endsWith("(set by <timezone> or -Dimage.timezone)"), message);
  }

  @Test
  void pathEntriesNameTheirField() {
    ImageBuildException target = assertThrows(
        ImageBuildException.class, () -> new PathDirective.Symlink("/opt/app", null));
    ImageBuildException mode = assertThrows(
        ImageBuildException.class, () -> PathDirective.parseMode("750x", "/data"));

    assertTrue(ParameterHints.withParameter(target.getMessage()).endsWith("(set by the <target> of a <paths> entry)"),
        target.getMessage());
    assertTrue(ParameterHints.withParameter(mode.getMessage()).endsWith("(set by the <mode> of a <paths> entry)"),
        mode.getMessage());
  }

  @Test
  void otherMessagesStayUnchanged() {
    assertEquals("package crul not found", ParameterHints.withParameter("package crul not found"));
  }
}
