package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.PrioritySelector;
import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.resolution.Variant;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks and builds images whose package set comes from a variant or a package selector, and checks
 * that the locked build needs neither the indexes nor the selector.
 */
class LockedVariantBuildTest {

  private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");
  private static final ResolveOptions ESSENTIAL =
      new ResolveOptions(Variant.ESSENTIAL, false, List.of(), false, List.of());

  @TempDir static Path dir;

  private static TestArchive archive;
  private static Path cache;

  @BeforeAll
  static void publish() throws Exception {
    archive = TestArchive.create(dir);
    archive
        .add(new DebBuilder("libc6", "2.36-9", "amd64").field("Priority", "required")
            .dir("./lib/", 0755).file("./lib/libc.so.6", "libc", 0755))
        .add(new DebBuilder("base-files", "12.4", "amd64").field("Essential", "yes")
            .field("Priority", "required").dir("./etc/", 0755).file("./etc/issue", "Debian\n", 0644))
        .add(new DebBuilder("dash", "0.5.12-2", "amd64").field("Essential", "yes")
            .field("Depends", "libc6 (>= 2.34)")
            .dir("./bin/", 0755).file("./bin/dash", "dash", 0755))
        .add(new DebBuilder("hello", "2.10", "amd64").field("Priority", "optional")
            .dir("./usr/", 0755).file("./usr/hello", "hello", 0755));
    archive.publish();
    cache = dir.resolve("cache");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    archive.close();
  }

  private static ImageSpec.Builder spec(String output, boolean offline) {
    return ImageSpec.builder()
        .addSource(archive.source())
        .addPackage("hello")
        .architecture("amd64")
        .timestamp(TIMESTAMP)
        .imageReference("test/variant:1")
        .outputDirectory(dir.resolve(output))
        .cacheDirectory(cache)
        .offline(offline);
  }

  private static List<String> names(List<BinaryPackage> packages) {
    return packages.stream().map(BinaryPackage::name).toList();
  }

  @Test
  void lockAppliesVariantAndLockedBuildNeedsNoIndexes() throws Exception {
    ImageSpec unlockedSpec = spec("out-unlocked", false).resolveOptions(ESSENTIAL).build();
    BuildResult unlocked = new ImageBuilder(BuildListener.NONE).build(unlockedSpec);
    Lockfile lock = new ImageBuilder(BuildListener.NONE).lock(unlockedSpec);
    Path lockPath = dir.resolve("variant.lock.json");
    lock.write(lockPath);

    assertEquals(List.of("base-files", "dash", "hello", "libc6"), names(lock.binaryPackages()));
    assertEquals(names(unlocked.packages()), names(lock.binaryPackages()));

    Path dists = archive.root().resolve("dists");
    Path hidden = archive.root().resolve("dists-hidden");
    Files.move(dists, hidden);
    try {
      BuildResult locked = new ImageBuilder(BuildListener.NONE)
          .build(spec("out-locked", true).resolveOptions(ESSENTIAL).lockfile(lockPath).build());
      assertEquals(unlocked.manifestDigest(), locked.manifestDigest());

      ImageBuildException error = assertThrows(ImageBuildException.class, () -> new ImageBuilder(BuildListener.NONE)
          .build(spec("out-other-variant", true).lockfile(lockPath).build()));
      assertTrue(error.getMessage().contains("does not match the build's inputs"), error.getMessage());
    } finally {
      Files.move(hidden, dists);
    }
  }

  @Test
  void lockAppliesSelectorsAndDigestCoversThem() {
    ImageSpec withSelector = spec("out-selector", false)
        .addPackageSelector(PrioritySelector.multistrap(Set.of("required")))
        .build();
    Lockfile lock = new ImageBuilder(BuildListener.NONE).lock(withSelector);
    Path lockPath = dir.resolve("selector.lock.json");
    lock.write(lockPath);

    assertEquals(List.of("base-files", "hello", "libc6"), names(lock.binaryPackages()));
    List<SourceSpec> sources = List.of(archive.source());
    assertNotEquals(LockInputs.digest(sources, List.of("hello"), "amd64"), lock.inputsDigest());

    BuildResult locked = new ImageBuilder(BuildListener.NONE).build(spec("out-selector-locked", false)
        .addPackageSelector(PrioritySelector.multistrap(Set.of("required"))).lockfile(lockPath).build());
    assertEquals(List.of("base-files", "hello", "libc6"), names(locked.packages()));
  }

  @Test
  void defaultOptionsKeepTheOldDigest() {
    List<SourceSpec> sources = List.of(archive.source());
    String old = LockInputs.digest(sources, List.of("hello"), "amd64");

    assertEquals(old, LockInputs.digest(sources, List.of("hello"), "amd64", ResolveOptions.DEFAULT, List.of()));
    assertNotEquals(old, LockInputs.digest(sources, List.of("hello"), "amd64", ESSENTIAL, List.of()));
  }

  @Test
  void digestCoversEachResolveOption() {
    List<SourceSpec> sources = List.of(archive.source());
    List<ResolveOptions> variants = List.of(
        ResolveOptions.DEFAULT,
        ESSENTIAL,
        new ResolveOptions(Variant.CUSTOM, true, List.of(), false, List.of()),
        new ResolveOptions(Variant.CUSTOM, false, List.of("dash"), false, List.of()),
        new ResolveOptions(Variant.CUSTOM, false, List.of("dash"), true, List.of()),
        new ResolveOptions(Variant.CUSTOM, false, List.of(), false, List.of("stable")),
        new ResolveOptions(Variant.CUSTOM, false, List.of(), false, List.of("stable", "backports")),
        new ResolveOptions(Variant.CUSTOM, false, List.of(), false, List.of("backports", "stable")));
    List<String> digests = variants.stream()
        .map(options -> LockInputs.digest(sources, List.of("hello"), "amd64", options, List.of()))
        .toList();

    assertEquals(variants.size(), Set.copyOf(digests).size(), digests.toString());
    String canonical = LockInputs.canonical(sources, List.of("hello"), "amd64",
        new ResolveOptions(Variant.REQUIRED, true, List.of("b", "a"), false, List.of("x")), List.of("s2", "s1"));
    assertTrue(canonical.contains("\"resolution\":{\"excludes\":[\"a\",\"b\"],\"forceExcludeEssential\":false,"
        + "\"installRecommends\":true,\"preferSuites\":[\"x\"],\"variant\":\"required\"},"
        + "\"selections\":[\"s1\",\"s2\"],\"sources\""), canonical);
  }
}
