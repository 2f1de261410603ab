package dev.debimage.core.resolution;

import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/** The amd64 main Packages indexes in the build host's apt lists, read without verification. */
final class HostAptLists {

  static final Path APT_LISTS = Path.of("/var/lib/apt/lists");

  private HostAptLists() {}

  /** Reads every amd64 main Packages index of the host's apt lists. */
  static List<BinaryPackage> readAll() throws IOException {
    List<BinaryPackage> universe = new ArrayList<>();
    for (Path index : findIndexes()) {
      read(index, universe);
    }
    return universe;
  }

  static List<Path> findIndexes() throws IOException {
    return findIndexes(APT_LISTS, "amd64");
  }

  /** Returns the main Packages indexes of {@code architecture} in an apt lists directory, sorted. */
  static List<Path> findIndexes(Path aptLists, String architecture) throws IOException {
    List<Path> indexes = new ArrayList<>();
    if (!Files.isDirectory(aptLists)) {
      return indexes;
    }
    String suffix = "_main_binary-" + architecture + "_Packages";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(aptLists)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(suffix) || name.endsWith(suffix + ".lz4")) {
          indexes.add(file);
        }
      }
    }
    indexes.sort(null);
    return indexes;
  }

  /** Reads one index; apt names it after the URI, so the suite is the part after {@code dists_}. */
  static void read(Path index, List<BinaryPackage> universe) throws IOException {
    String fileName = index.getFileName().toString();
    String suite = fileName.replaceFirst(".*_dists_([^_]+)_.*", "$1");
    try (InputStream raw = Files.newInputStream(index);
        InputStream data = fileName.endsWith(".lz4") ? new FramedLZ4CompressorInputStream(raw) : raw;
        Reader reader = new InputStreamReader(data, StandardCharsets.UTF_8)) {
      Deb822.parse(reader, index.toString(), stanza -> universe.add(toPackage(stanza, suite)));
    }
  }

  private static BinaryPackage toPackage(Stanza stanza, String suite) {
    return new BinaryPackage(
        stanza.require("Package", suite),
        stanza.require("Version", suite),
        stanza.require("Architecture", suite),
        stanza,
        stanza.require("Filename", suite),
        Long.parseLong(stanza.require("Size", suite)),
        stanza.get("SHA256", ""),
        APT_LISTS.toUri(),
        suite,
        "main");
  }

}
