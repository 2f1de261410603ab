package dev.debimage.example;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Builds an image of Debian packages and one application jar with image-core, without Maven. */
public final class BuildImage {

  private BuildImage() {}

  /**
   * Builds the image and writes it to {@code outputDirectory}: an OCI layout, a docker-archive,
   * the digest, the package report and the SBOMs.
   *
   * @param archive the archive root, such as {@code http://MIRROR/debian}
   * @param suites the suites to read, such as {@code bookworm bookworm-updates}
   * @param keyring the archive's keyring file, or empty for the bundled Debian archive keys
   * @param jar the application's runnable jar, copied to {@code /app/app.jar}
   * @param packages the Debian packages to install with their dependencies
   * @param cacheDirectory where downloaded indexes and packages are kept between builds
   */
  public static BuildResult build(
      URI archive, List<String> suites, Optional<Path> keyring, Path jar, List<String> packages,
      Path outputDirectory, Path cacheDirectory) {
    SourceSpec source = new SourceSpec(
        List.of(archive), suites, List.of("main"), List.of(),
        keyring.map(Path::toString), "the BuildImage example");
    ImageSpec.Builder spec = ImageSpec.builder()
        .addSource(source)
        .architecture("amd64")
        .addApplicationLayer(new ApplicationLayer("application", List.of(
            new ApplicationLayer.Entry(jar, "/app/app.jar"))))
        .entrypoint(List.of("java", "-jar", "/app/app.jar"))
        .user("nonroot")
        .imageReference("example/app:1.0")
        // A fixed timestamp makes the image reproducible: the same inputs give the same digest.
        .timestamp(Instant.parse("2026-01-01T00:00:00Z"))
        .outputDirectory(outputDirectory)
        .cacheDirectory(cacheDirectory);
    packages.forEach(spec::addPackage);

    BuildListener log = new BuildListener() {
      @Override
      public void info(String message) {
        System.out.println(message);
      }

      @Override
      public void warn(String message) {
        System.err.println("warning: " + message);
      }

      @Override
      public void debug(String message) {}
    };
    return new ImageBuilder(log).build(spec.build());
  }

  /**
   * Runs {@link #build} with the per-user cache. Arguments: ARCHIVE_URI SUITES KEYRING JAR
   * OUTPUT_DIR PACKAGE..., where SUITES is separated by spaces and KEYRING is a file or
   * {@code bundled}.
   */
  public static void main(String[] args) {
    if (args.length < 6) {
      System.err.println("usage: BuildImage ARCHIVE_URI SUITES KEYRING|bundled JAR OUTPUT_DIR PACKAGE...");
      System.exit(2);
    }
    Optional<Path> keyring = args[2].equals("bundled") ? Optional.empty() : Optional.of(Path.of(args[2]));
    BuildResult result = build(
        URI.create(args[0]),
        List.of(args[1].trim().split("\\s+")),
        keyring,
        Path.of(args[3]),
        Arrays.asList(args).subList(5, args.length),
        Path.of(args[4]),
        ImageSpec.defaultCacheDirectory());

    System.out.println(result.imageReference() + " " + result.manifestDigest());
    for (BinaryPackage pkg : result.packages()) {
      System.out.println("  " + pkg.name() + " " + pkg.version() + " " + pkg.architecture());
    }
  }
}
