package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the outputs of a build for several platforms into one directory:
 *
 * <ul>
 *   <li>{@code oci/}: an OCI image layout whose {@code index.json} names the image index;
 *   <li>{@code image-ARCH.tar}: a docker-archive of each platform's image, ARCH being the Debian
 *       architecture, because a docker-archive contains one image per tag;
 *   <li>{@code image.tar}: the same bytes as the archive of the first listed platform, so that
 *       scripts that load {@code image.tar} keep working, whatever the build host;
 *   <li>{@code packages.txt}: the packages of every platform, one {@code name version
 *       architecture} line each, an {@code Architecture: all} package listed once per version;
 *   <li>{@code ARCH/}: each platform's reports (SBOMs, {@code packages.json}) and its own
 *       {@code packages.txt}; the first platform's reports are also written to the top directory;
 *   <li>{@code digest}: the digest of the image index, written last.
 * </ul>
 */
public final class MultiPlatformOutputWriter {

  private MultiPlatformOutputWriter() {}

  /**
   * Writes every output of {@code index} into {@code directory}, creating it when needed.
   *
   * @param packages each platform's installed packages, keyed by Debian architecture
   * @param reports each platform's reports, keyed by Debian architecture and then by file name
   * @throws ImageBuildException when an output cannot be written
   * @throws IllegalArgumentException when a platform of the index has no package list
   */
  public static void write(
      ImageIndex index,
      Map<String, List<BinaryPackage>> packages,
      Path directory,
      String imageReference,
      Map<String, Map<String, byte[]>> reports) {
    write(index, packages, directory, ImageTags.of(imageReference), reports);
  }

  /**
   * Writes every output of {@code index} into {@code directory} as {@link #write(ImageIndex, Map,
   * Path, String, Map)} does, with the image layout and each docker-archive tagged with every one
   * of {@code tags}.
   */
  public static void write(
      ImageIndex index,
      Map<String, List<BinaryPackage>> packages,
      Path directory,
      ImageTags tags,
      Map<String, Map<String, byte[]>> reports) {
    OutputWriter.createDirectory(directory);
    IndexLayoutWriter.write(index, directory.resolve("oci"), tags);

    List<BinaryPackage> allPackages = new ArrayList<>();
    for (ImageIndex.PlatformImage platformImage : index.images()) {
      String architecture = platformImage.architecture();
      List<BinaryPackage> platformPackages = packages.get(architecture);
      if (platformPackages == null) {
        throw new IllegalArgumentException("no package list for platform " + architecture);
      }
      DockerArchiveWriter.write(platformImage.image(), archive(directory, architecture), tags);
      Path platformDirectory = directory.resolve(architecture);
      createDirectory(platformDirectory);
      OutputWriter.writePackageList(platformPackages, platformDirectory.resolve("packages.txt"));
      new TreeMap<>(reports.getOrDefault(architecture, Map.of()))
          .forEach((name, content) -> writeFile(platformDirectory.resolve(name), content));
      allPackages.addAll(platformPackages);
    }
    String first = index.images().get(0).architecture();
    copyArchive(archive(directory, first), directory.resolve("image.tar"));
    writeUnionPackageList(allPackages, directory.resolve("packages.txt"));
    new TreeMap<>(reports.getOrDefault(first, Map.of()))
        .forEach((name, content) -> writeFile(directory.resolve(name), content));

    // The digest goes last, so a script that reads a new digest finds the other outputs complete.
    byte[] line = (index.digest() + "\n").getBytes(StandardCharsets.US_ASCII);
    writeFile(directory.resolve("digest"), line);
  }

  /** Returns the docker-archive of one platform, {@code image-ARCH.tar}. */
  public static Path archive(Path directory, String architecture) {
    return directory.resolve("image-" + architecture + ".tar");
  }

  private static void writeUnionPackageList(List<BinaryPackage> packages, Path file) {
    Map<String, BinaryPackage> unique = new TreeMap<>();
    for (BinaryPackage binary : packages) {
      unique.putIfAbsent(binary.name() + " " + binary.version() + " " + binary.architecture(), binary);
    }
    OutputWriter.writePackageList(new ArrayList<>(unique.values()), file);
  }

  private static void copyArchive(Path source, Path target) {
    try {
      AtomicOutput.writeFile(target, temporary -> Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write image tarball '" + target + "': " + e + ". Check that its directory is"
              + " writable and has free space", e);
    }
  }

  private static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to create the output directory " + directory + ": " + e.getMessage()
              + ". Choose a writable directory (image.outputDirectory)", e);
    }
  }

  private static void writeFile(Path file, byte[] content) {
    try {
      AtomicOutput.writeFile(file, temporary -> Files.write(temporary, content));
    } catch (IOException e) {
      throw new ImageBuildException("failed to write " + file + ": " + e.getMessage()
          + ". Check that its directory is writable", e);
    }
  }
}
