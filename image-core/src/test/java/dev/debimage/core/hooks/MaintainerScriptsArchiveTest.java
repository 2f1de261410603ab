package dev.debimage.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.resolution.Variant;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the maintainer scripts of bookworm's essential set, taken from the mirror of the host's apt
 * sources, and checks the result with dpkg. Skipped when the host has no bookworm source, and per
 * privilege when the host lacks root or user namespaces.
 */
class MaintainerScriptsArchiveTest {

  private static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  /**
   * A set without base-files, whose postinst changes group owners to accounts such as mail, which
   * a user namespace without subordinate ids cannot map.
   */
  private static final List<String> SMALL_SET =
      List.of("dpkg", "dash", "libc-bin", "coreutils", "base-passwd", "sed", "grep", "findutils", "debianutils", "diffutils", "tar");

  private static IndexLoader.Universe universe;
  private static DownloadCache cache;
  private static Path cacheRoot;
  private List<AssemblyInput> inputs;

  @TempDir Path work;

  @BeforeAll
  static void loadBookworm() {
    List<SourceSpec> bookworm = HostAptSources.readHost().stream()
        .filter(source -> source.suites().contains("bookworm"))
        .map(source -> new SourceSpec(source.uris(), List.of("bookworm"), List.of("main"),
            List.of(), source.signedBy(), source.origin()))
        .toList();
    assumeTrue(!bookworm.isEmpty(), "the host's apt sources have no bookworm suite");
    cacheRoot = ImageSpec.defaultCacheDirectory();
    cache = new DownloadCache(cacheRoot, new HttpDownloader(BuildListener.NONE), false);
    try {
      universe = new IndexLoader(cache, BuildListener.NONE).load(bookworm.subList(0, 1), "amd64");
    } catch (RuntimeException e) {
      assumeTrue(false, "the bookworm mirror of the host's apt sources did not answer: " + e.getMessage());
    }
  }

  /** Resolves and fetches {@code requests} with their dependencies, and assembles them. */
  private FileTree assemble(List<String> requests) {
    List<BinaryPackage> packages = new Resolver(universe.packages(), "amd64").resolve(requests).packages();
    Map<BinaryPackage, Path> files = new PackageFetcher(cache, BuildListener.NONE).fetch(packages).files();
    inputs = new ArrayList<>();
    files.forEach((pkg, file) -> inputs.add(new AssemblyInput(pkg, file)));
    return Assembler.assemble(inputs,
        new AssemblyOptions("amd64", TIME, cacheRoot.resolve("data"), BuildListener.NONE));
  }

  private CustomizedTree configure(MaintainerScriptMode mode, FileTree tree) {
    ScriptSettings settings = new ScriptSettings(List.of(), mode, MultistrapScripts.NONE);
    List<Path> debs = inputs.stream().map(AssemblyInput::debFile).toList();
    return TreeCustomizer.apply(tree, settings,
        new TreeCustomizer.Context("amd64", TIME, work.resolve("scripts"), debs, BuildListener.NONE));
  }

  /** Writes the tree to a directory and returns what {@code dpkg --root=DIR -l} prints. */
  private List<String> dpkgList(FileTree tree, Path dir) throws Exception {
    Files.createDirectories(dir);
    DirectoryWriter.write(tree, dir, Privilege.isRoot());
    Process process = new ProcessBuilder("dpkg", "--root=" + dir, "-l")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output.lines().filter(line -> line.matches("[a-z][a-zA-Z] .*")).toList();
  }

  private void checkConfigured(MaintainerScriptMode mode, List<String> requests) throws Exception {
    FileTree assembled = assemble(requests);
    assertTrue(assembled.get("etc/ld.so.cache").isEmpty(), "the assembly alone writes no ld.so.cache");
    try (CustomizedTree configured = configure(mode, assembled)) {
      FileTree tree = configured.tree();

      List<String> rows = dpkgList(tree, work.resolve("check"));
      assertEquals(inputs.size(), rows.size(), "packages that dpkg -l lists: " + rows);
      for (String row : rows) {
        assertTrue(row.startsWith("ii "), "not installed: " + row);
      }
      // libc-bin's postinst runs ldconfig, which writes the cache; nothing else produces it.
      Optional<FileEntry> cache = tree.get("etc/ld.so.cache");
      assertTrue(cache.isPresent(), "no /etc/ld.so.cache after the maintainer scripts");
      assertEquals(0, cache.get().uid());
      assertEquals(TIME, cache.get().mtime());
      String status = new String(tree.get("var/lib/dpkg/status").orElseThrow().content().readAllBytes(),
          StandardCharsets.UTF_8);
      assertFalse(status.contains("newconffile"), "a configuration file was not configured");
      assertTrue(tree.get("var/lib/dpkg/info/dpkg.postinst").isPresent(), "dpkg's postinst is not kept");
      assertTrue(tree.get(TreeCustomizer.POLICY_RC_D).isEmpty(), "policy-rc.d was left in the tree");
      assertTrue(tree.get("dev/null").isEmpty(), "the /dev/null mount point was left in the tree");
    }
  }

  @Test
  void rootModeConfiguresEssentialSet() throws Exception {
    assumeTrue(Privilege.isRoot(), "the build does not run as root");
    checkConfigured(MaintainerScriptMode.ROOT,
        Variant.ESSENTIAL.selector().orElseThrow().select(universe.packages()));
  }

  @Test
  void userNamespaceModeConfiguresSmallSet() throws Exception {
    assumeTrue(Privilege.userNamespacesWork(), "this host does not allow user namespaces");
    checkConfigured(MaintainerScriptMode.USER_NAMESPACE, SMALL_SET);
  }
}
