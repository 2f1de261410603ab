package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformsTest {

  @Test
  void ociAndDebianNamesParse() {
    assertEquals(List.of("amd64", "arm64"), Platforms.parse(List.of("linux/amd64,linux/arm64")));
    assertEquals(List.of("arm64", "amd64"), Platforms.parse(List.of("arm64", "amd64")));
    assertEquals(List.of("arm64"), Platforms.parse(List.of("linux/arm64/v8")));
    assertEquals(List.of("armhf", "armel"), Platforms.parse(List.of("linux/arm/v7 linux/arm/v5")));
    assertEquals(List.of("i386", "ppc64el"), Platforms.parse(List.of("linux/386", "LINUX/PPC64LE")));
    assertEquals(List.of(), Platforms.parse(List.of(" , ")));
  }

  @Test
  void ociNameHasVariant() {
    assertEquals("linux/arm64/v8", Platforms.ociName("arm64"));
    assertEquals("linux/amd64", Platforms.ociName("amd64"));
    assertEquals("linux/arm/v7", Platforms.ociName("armhf"));
  }

  @Test
  void duplicateIsRejected() {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> Platforms.parse(List.of("linux/arm64,arm64")));

    assertTrue(e.getMessage().contains("'arm64' is listed twice"), e.getMessage());
  }

  @Test
  void unknownPlatformIsRejected() {
    for (String value : List.of("windows/amd64", "linux/arm64/v7", "linux/sparc", "linux", "powerpc")) {
      ImageBuildException e = assertThrows(ImageBuildException.class, () -> Platforms.parse(List.of(value)), value);
      assertTrue(e.getMessage().contains(value), e.getMessage());
    }
  }

  @Test
  void specTakesFirstPlatformAsArchitecture() {
    ImageSpec spec = ImageSpec.builder()
        .addPackage("curl")
        .architecture("amd64")
        .platforms(List.of("linux/arm64", "linux/amd64"))
        .outputDirectory(Path.of("out"))
        .build();

    assertEquals(List.of("arm64", "amd64"), spec.platforms());
    assertEquals("arm64", spec.architecture());
  }

  @Test
  void specDefaultsToArchitecture() {
    ImageSpec spec = ImageSpec.builder().addPackage("curl").architecture("armhf").outputDirectory(Path.of("out")).build();

    assertEquals(List.of("armhf"), spec.platforms());
  }

  @Test
  void specRejectsUnknownPlatform() {
    ImageSpec.Builder builder =
        ImageSpec.builder().addPackage("curl").platforms(List.of("linux/sparc64")).outputDirectory(Path.of("out"));

    ImageBuildException e = assertThrows(ImageBuildException.class, builder::build);

    assertTrue(e.getMessage().contains("unsupported platform 'linux/sparc64'"), e.getMessage());
  }
}
