package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the outputs of a build into one directory: {@code oci/} (an OCI image layout),
 * {@code image.tar} (a docker-archive tarball), {@code digest} (the manifest digest) and
 * {@code packages.txt} (the installed packages). Each output replaces its predecessor only once it
 * is complete.
 */
public final class OutputWriter {

  private OutputWriter() {}

  /** Writes every output of {@code image} into {@code directory}, creating it when needed. */
  public static void write(BuiltImage image, List<BinaryPackage> packages, Path directory, String imageReference) {
    write(image, packages, directory, imageReference, Map.of());
  }

  /**
   * Writes every output of {@code image} into {@code directory}, and each of {@code reports}, keyed
   * by file name, beside them. The digest is still written last.
   */
  public static void write(
      BuiltImage image,
      List<BinaryPackage> packages,
      Path directory,
      String imageReference,
      Map<String, byte[]> reports) {
    write(image, packages, directory, ImageTags.of(imageReference), reports);
  }

  /**
   * Writes every output of {@code image} into {@code directory} as {@link #write(BuiltImage, List,
   * Path, String, Map)} does, with the image layout and the docker-archive tagged with every one of
   * {@code tags}.
   */
  public static void write(
      BuiltImage image,
      List<BinaryPackage> packages,
      Path directory,
      ImageTags tags,
      Map<String, byte[]> reports) {
    createDirectory(directory);
    OciLayoutWriter.write(image, directory.resolve("oci"), tags);
    DockerArchiveWriter.write(image, directory.resolve("image.tar"), tags);
    writePackageList(packages, directory.resolve("packages.txt"));
    new TreeMap<>(reports).forEach((name, content) -> writeReport(directory.resolve(name), content));
    // The digest goes last, so a script that reads a new digest finds the other outputs complete.
    DigestFileWriter.write(image, directory.resolve("digest"));
  }

  private static void writeReport(Path file, byte[] content) {
    try {
      AtomicOutput.writeFile(file, temporary -> Files.write(temporary, content));
    } catch (IOException e) {
      throw new ImageBuildException("failed to write the report " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes one line per package, {@code name version architecture}, sorted by name. */
  static void writePackageList(List<BinaryPackage> packages, Path file) {
    StringBuilder text = new StringBuilder();
    packages.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(pkg -> text.append(pkg.name()).append(' ').append(pkg.version()).append(' ')
            .append(pkg.architecture()).append('\n'));
    try {
      AtomicOutput.writeFile(file, temporary -> Files.writeString(temporary, text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ImageBuildException("failed to write the package list " + file + ": " + e.getMessage(), e);
    }
  }

  /** Creates the output directory, or fails with a message that suggests another. */
  static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to create the output directory " + directory + ": " + e.getMessage()
              + ". Choose a writable directory (image.outputDirectory)", e);
    }
  }
}
