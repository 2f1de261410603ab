package dev.debimage.core.report;

import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.TarLayerWriter;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.SourceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Writes packages layers and Release files for the report tests. */
final class TestLayers {

  static final Instant BUILD_TIME = Instant.parse("2026-01-02T03:04:05Z");

  private TestLayers() {}

  /** Returns a layer tree whose paths are given as path, content pairs; a content of "-> X" makes a symlink. */
  static FileTree tree(String... pathsAndContents) {
    FileTree tree = new FileTree(BUILD_TIME);
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      String path = pathsAndContents[i];
      String content = pathsAndContents[i + 1];
      if (content.startsWith("-> ")) {
        tree.addGeneratedSymlink(path, content.substring(3), BUILD_TIME);
      } else {
        tree.addGeneratedFile(path, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0, BUILD_TIME);
      }
    }
    return tree;
  }

  /** Writes {@code tree} as a layer blob below {@code directory} and reads it back. */
  static LayerContents write(FileTree tree, Path directory) {
    LayerBlob blob = TarLayerWriter.write(tree, directory);
    return LayerContents.read(blob.path());
  }

  /** Returns a suite whose Release file has the given fields, one {@code Name: value} line each. */
  static IndexLoader.Suite suite(String name, String... releaseFields) {
    String text = String.join("\n", releaseFields) + "\nSuite: " + name + "\n";
    ReleaseFile release = ReleaseFile.parse(text, "test Release file of " + name);
    SourceSpec source = new SourceSpec(
        List.of(TestPackages.ARCHIVE), List.of(name), List.of("main"), List.of(), Optional.empty(), "test");
    return new IndexLoader.Suite(source, TestPackages.ARCHIVE, name, release);
  }
}
