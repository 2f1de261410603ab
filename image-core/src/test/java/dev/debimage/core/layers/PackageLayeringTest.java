package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.report.LayerContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits assembled trees into layers and checks which layers change when the package set does. */
class PackageLayeringTest {

  private static final Instant TIMESTAMP = Instant.parse("2025-02-03T04:05:06Z");
  // Packages of at least 4 KiB of files get a layer of their own in these tests.
  private static final PackageLayering LAYERING = new PackageLayering(4096, 6, Set.of("libc6"));

  @TempDir Path work;

  private static DebBuilder pkg(String name, String priority, String depends, int fileBytes) {
    DebBuilder deb = new DebBuilder(name, "1.0-1", "amd64").field("Priority", priority);
    if (!depends.isEmpty()) {
      deb.field("Depends", depends);
    }
    return deb.dir("./usr/", 0755).dir("./usr/share/", 0755).dir("./usr/share/" + name + "/", 0755)
        .file("./usr/share/" + name + "/data", "x".repeat(fileBytes), 0644);
  }

  /** Returns a base system, one large runtime and two small packages. */
  private static List<DebBuilder> basePackages() {
    return new ArrayList<>(List.of(
        pkg("base-files", "required", "", 10),
        pkg("libc6", "optional", "libgcc-s1", 100)
            .dir("./usr/lib/", 0755)
            .file("./usr/lib/libc.so.6", "libc", 0755)
            .hardlink("./usr/lib/libc-link.so.6", "./usr/lib/libc.so.6"),
        pkg("libgcc-s1", "optional", "gcc-base | gcc-other", 50),
        pkg("gcc-base", "optional", "", 5),
        pkg("big-runtime", "optional", "libc6 (>= 2.36), libgcc-s1:any", 9000),
        pkg("tool-a", "optional", "libc6", 100),
        pkg("tool-b", "optional", "libc6, tool-a", 100)));
  }

  private FileTree assemble(List<DebBuilder> debs, String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder deb : debs) {
      inputs.add(deb.writeInput(dir));
    }
    return Assembler.assemble(inputs, new AssemblyOptions("amd64", TIMESTAMP, work.resolve("cache")));
  }

  /** Writes every layer of the split and returns the layer digests by layer name. */
  private Map<String, LayerBlob> write(List<PackageLayering.Group> groups) {
    Map<String, LayerBlob> blobs = new LinkedHashMap<>();
    for (PackageLayering.Group group : groups) {
      blobs.put(group.name(), TarLayerWriter.write(group.entries(), work.resolve("blobs"), LayerCompression.GZIP));
    }
    return blobs;
  }

  private static List<String> names(List<PackageLayering.Group> groups) {
    return groups.stream().map(PackageLayering.Group::name).toList();
  }

  private static PackageLayering.Group group(List<PackageLayering.Group> groups, String name) {
    return groups.stream().filter(group -> group.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> paths(PackageLayering.Group group) {
    return group.entries().stream().map(FileEntry::path).toList();
  }

  /** Returns the names of the layers whose digest differs between the two splits, or that only one has. */
  private static List<String> changed(Map<String, LayerBlob> before, Map<String, LayerBlob> after) {
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, LayerBlob> layer : after.entrySet()) {
      LayerBlob old = before.get(layer.getKey());
      if (old == null || !old.digest().equals(layer.getValue().digest())) {
        changed.add(layer.getKey());
      }
    }
    before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(changed::add);
    return changed;
  }

  @Test
  void splitFollowsLayerRule() throws IOException {
    List<PackageLayering.Group> groups = LAYERING.split(assemble(basePackages(), "set"));

    assertEquals(List.of("base", "big-runtime", "packages", "dpkg-database"), names(groups));
    assertEquals(List.of("base-files", "gcc-base", "libc6", "libgcc-s1"), group(groups, "base").packages());
    assertEquals(List.of("big-runtime"), group(groups, "big-runtime").packages());
    assertEquals(List.of("tool-a", "tool-b"), group(groups, "packages").packages());
    assertEquals(7, group(groups, "dpkg-database").packages().size());
  }

  @Test
  void generatedFilesGoToDatabaseLayer() throws IOException {
    List<PackageLayering.Group> groups = LAYERING.split(assemble(basePackages(), "set"));

    List<String> database = paths(group(groups, "dpkg-database"));
    assertTrue(database.contains("etc/passwd"), database.toString());
    assertTrue(database.contains("var/lib/dpkg/status"), database.toString());
    assertTrue(database.contains("var/lib/dpkg/info/libc6.list"), database.toString());
    for (PackageLayering.Group group : groups) {
      if (!group.name().equals("dpkg-database")) {
        assertTrue(paths(group).stream().noneMatch(path -> path.startsWith("var/lib/dpkg/")), group.name());
        assertTrue(group.entries().stream().allMatch(entry -> entry.isDirectory() || entry.owner() != null),
            group.name());
      }
    }
  }

  @Test
  void layersCarryParentsAndHardLinks() throws IOException {
    List<PackageLayering.Group> groups = LAYERING.split(assemble(basePackages(), "set"));

    List<String> base = paths(group(groups, "base"));
    assertTrue(base.contains("usr/lib/libc.so.6"), base.toString());
    assertTrue(base.contains("usr/lib/libc-link.so.6"), base.toString());
    List<String> runtime = paths(group(groups, "big-runtime"));
    assertEquals(List.of("usr", "usr/share", "usr/share/big-runtime", "usr/share/big-runtime/data"), runtime);
  }

  @Test
  void layersTogetherEqualWholeTree() throws IOException {
    FileTree tree = assemble(basePackages(), "set");
    List<PackageLayering.Group> groups = LAYERING.split(tree);
    Map<String, LayerBlob> blobs = write(groups);

    LayerContents split = LayerContents.read(blobs.values().stream().map(LayerBlob::path).toList());
    LayerContents whole = LayerContents.read(TarLayerWriter.write(tree, work.resolve("whole")).path());

    assertEquals(whole.entries(), split.entries());
  }

  @Test
  void contentsSnapshotRoundTrips() throws IOException {
    Map<String, LayerBlob> blobs = write(LAYERING.split(assemble(basePackages(), "set")));
    LayerContents contents = LayerContents.read(blobs.values().stream().map(LayerBlob::path).toList());

    LayerContents copy = LayerContents.fromSnapshot(contents.toSnapshot());

    assertEquals(contents.entries(), copy.entries());
    assertEquals(List.of("libc6"), copy.owners("/usr/lib/libc.so.6"));
    assertEquals(contents.owners("/usr/share/tool-a/data"), copy.owners("/usr/share/tool-a/data"));
    byte[] snapshot = contents.toSnapshot();
    assertThrows(IOException.class, () -> LayerContents.fromSnapshot(java.util.Arrays.copyOf(snapshot, snapshot.length / 2)));
  }

  @Test
  void addingSmallPackageChangesTwoLayers() throws IOException {
    List<DebBuilder> more = basePackages();
    more.add(pkg("tool-c", "optional", "libc6", 100));

    Map<String, LayerBlob> before = write(LAYERING.split(assemble(basePackages(), "before")));
    Map<String, LayerBlob> after = write(LAYERING.split(assemble(more, "after")));

    assertEquals(List.of("packages", "dpkg-database"), changed(before, after));
  }

  @Test
  void addingLargePackageAddsOneLayer() throws IOException {
    List<DebBuilder> more = basePackages();
    more.add(pkg("another-runtime", "optional", "libc6", 5000));

    Map<String, LayerBlob> before = write(LAYERING.split(assemble(basePackages(), "before")));
    Map<String, LayerBlob> after = write(LAYERING.split(assemble(more, "after")));

    assertEquals(List.of("another-runtime", "dpkg-database"), changed(before, after));
    assertEquals(List.of("base", "another-runtime", "big-runtime", "packages", "dpkg-database"),
        new ArrayList<>(after.keySet()));
  }

  @Test
  void maxLayersKeepsLargestPackagesApart() throws IOException {
    List<DebBuilder> more = basePackages();
    more.add(pkg("another-runtime", "optional", "libc6", 5000));
    PackageLayering fourLayers = new PackageLayering(4096, 4, Set.of("libc6"));

    List<PackageLayering.Group> groups = fourLayers.split(assemble(more, "set"));

    assertEquals(List.of("base", "big-runtime", "packages", "dpkg-database"), names(groups));
    assertEquals(List.of("another-runtime", "tool-a", "tool-b"), group(groups, "packages").packages());
  }

  @Test
  void sameTreeGivesSameLayers() throws IOException {
    Map<String, LayerBlob> first = write(LAYERING.split(assemble(basePackages(), "first")));
    Map<String, LayerBlob> second = write(LAYERING.split(assemble(basePackages(), "second")));

    assertEquals(List.of(), changed(first, second));
  }

  @Test
  void dependencyNamesIncludeEveryAlternative() {
    assertEquals(List.of("libc6", "libgcc-s1", "debconf", "debconf-2.0", "perl"),
        PackageLayering.dependencyNames("libc6 (>= 2.36), libgcc-s1:any, debconf | debconf-2.0, perl [amd64]"));
  }

  @Test
  void invalidSettingsAreRejected() {
    ImageBuildException budget =
        assertThrows(ImageBuildException.class, () -> new PackageLayering(0, 8, Set.of()));
    assertTrue(budget.getMessage().contains("invalid layer budget 0"), budget.getMessage());

    ImageBuildException count =
        assertThrows(ImageBuildException.class, () -> new PackageLayering(1, 2, Set.of()));
    assertTrue(count.getMessage().contains("invalid maximum layer count 2"), count.getMessage());
  }

  @Test
  void treeWithoutStatusFileIsRejected() {
    FileTree tree = new FileTree(TIMESTAMP);
    tree.addGeneratedDirectory("etc", 0755, 0, 0, TIMESTAMP);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> LAYERING.split(tree));

    assertTrue(e.getMessage().contains("var/lib/dpkg/status"), e.getMessage());
  }
}
