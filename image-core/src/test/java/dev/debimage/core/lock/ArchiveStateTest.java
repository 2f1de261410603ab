package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.outdated.OutdatedPackage;
import dev.debimage.core.outdated.OutdatedReport;
import dev.debimage.core.outdated.Provenance;
import dev.debimage.core.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds from a signed archive on disk with provenance labels, then publishes a newer package and
 * checks that {@link ImageBuilder#outdated} reports it.
 */
class ArchiveStateTest {

  private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir static Path dir;

  private static TestArchive archive;
  private static Path lockPath;

  @BeforeAll
  static void publish() throws Exception {
    archive = TestArchive.create(dir);
    archive
        .add(new DebBuilder("libc6", "2.36-9", "amd64").field("Source", "glibc")
            .dir("./lib/", 0755).file("./lib/libc.so.6", "libc", 0755))
        .add(new DebBuilder("base-files", "12.4", "amd64")
            .dir("./etc/", 0755).file("./etc/issue", "Debian\n", 0644).dir("./tmp/", 01777))
        .add(new DebBuilder("dash", "0.5.12-2", "amd64").field("Depends", "libc6 (>= 2.34)")
            .dir("./bin/", 0755).file("./bin/dash", "dash", 0755));
    archive.publish();
    lockPath = dir.resolve(Lockfile.FILE_NAME);
    new ImageBuilder(BuildListener.NONE).lock(spec("lock", false).build()).write(lockPath);
  }

  @AfterAll
  static void stopAgent() throws Exception {
    archive.close();
  }

  private static ImageSpec.Builder spec(String name, boolean provenance) {
    return ImageSpec.builder()
        .addSource(archive.source())
        .addPackage("dash")
        .addPackage("base-files")
        .architecture("amd64")
        .entrypoint(List.of("/bin/dash"))
        .timestamp(TIMESTAMP)
        .imageReference("test/state:1")
        .outputDirectory(dir.resolve("out-" + name))
        .cacheDirectory(dir.resolve("cache"))
        .provenance(provenance);
  }

  /** Returns the config of the image in the build's OCI layout. */
  private static JsonNode config(BuildResult result) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path layout = result.outputDirectory().resolve("oci");
    String manifest = json.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0).get("digest").asText();
    JsonNode manifestNode = json.readTree(layout.resolve("blobs/sha256/" + manifest.substring(7)).toFile());
    String config = manifestNode.get("config").get("digest").asText();
    JsonNode configNode = json.readTree(layout.resolve("blobs/sha256/" + config.substring(7)).toFile());
    // The manifest annotations carry the same provenance entries as the config labels.
    assertEquals(retainProvenance(configNode.path("config").path("Labels")),
        retainProvenance(manifestNode.path("annotations")));
    return configNode;
  }

  private static JsonNode retainProvenance(JsonNode entries) {
    ObjectNode copy = new ObjectMapper().createObjectNode();
    for (String key : List.of(Provenance.SUITES, Provenance.NEWEST_RELEASE_DATE, Provenance.LOCKFILE_SHA256)) {
      if (entries.has(key)) {
        copy.set(key, entries.get(key));
      }
    }
    return copy;
  }

  @Test
  void unlockedAndLockedBuildsRecordTheArchiveState() throws IOException {
    Lockfile lock = Lockfile.read(lockPath);
    LockedSuite suite = lock.suites().get(0);
    String suitesLabel = suite.uri() + " " + TestArchive.SUITE + " " + suite.date().orElseThrow();

    BuildResult unlocked = new ImageBuilder(BuildListener.NONE).build(spec("unlocked", true).build());
    JsonNode labels = config(unlocked).path("config").path("Labels");
    assertEquals(suitesLabel, labels.path(Provenance.SUITES).asText());
    assertEquals(suite.date().orElseThrow().toString(), labels.path(Provenance.NEWEST_RELEASE_DATE).asText());
    assertTrue(labels.path(Provenance.LOCKFILE_SHA256).isMissingNode());

    BuildResult locked = new ImageBuilder(BuildListener.NONE).build(spec("locked", true).lockfile(lockPath).build());
    JsonNode lockedLabels = config(locked).path("config").path("Labels");
    assertEquals(suitesLabel, lockedLabels.path(Provenance.SUITES).asText());
    assertEquals("sha256:" + Sha256.hex(Files.readAllBytes(lockPath)),
        lockedLabels.path(Provenance.LOCKFILE_SHA256).asText());

    // Same lockfile, same labels, same image.
    BuildResult again = new ImageBuilder(BuildListener.NONE).build(spec("locked-again", true).lockfile(lockPath).build());
    assertEquals(locked.manifestDigest(), again.manifestDigest());
    assertNotEquals(unlocked.manifestDigest(), locked.manifestDigest());
  }

  @Test
  void withoutProvenanceTheImageHasNoSuchLabels() throws IOException {
    BuildResult plain = new ImageBuilder(BuildListener.NONE).build(spec("plain", false).lockfile(lockPath).build());
    JsonNode labels = config(plain).path("config").path("Labels");
    assertTrue(labels.path(Provenance.SUITES).isMissingNode());
    assertTrue(labels.path(Provenance.LOCKFILE_SHA256).isMissingNode());
  }

  @Test
  void outdatedReportsAPackagePublishedAfterTheLock(@TempDir Path own) throws Exception {
    // Its own archive, since publishing again rewrites the files the other tests read.
    TestArchive moving = TestArchive.create(own);
    try {
      moving
          .add(new DebBuilder("libc6", "2.36-9", "amd64").field("Source", "glibc")
              .dir("./lib/", 0755).file("./lib/libc.so.6", "libc", 0755))
          .add(new DebBuilder("dash", "0.5.12-2", "amd64").field("Depends", "libc6 (>= 2.34)")
              .dir("./bin/", 0755).file("./bin/dash", "dash", 0755));
      moving.publish();
      ImageSpec spec = ImageSpec.builder().addSource(moving.source()).addPackage("dash").architecture("amd64")
          .outputDirectory(own.resolve("out")).cacheDirectory(own.resolve("cache")).build();
      Lockfile lock = new ImageBuilder(BuildListener.NONE).lock(spec);

      OutdatedReport before = new ImageBuilder(BuildListener.NONE).outdated(spec, lock);
      assertTrue(before.packages().isEmpty());
      assertFalse(before.inputsChanged());

      moving.add(new DebBuilder("libc6", "2.36-9+deb12u1", "amd64").field("Source", "glibc")
          .dir("./lib/", 0755).file("./lib/libc.so.6", "libc fixed", 0755));
      moving.publish();
      OutdatedReport after = new ImageBuilder(BuildListener.NONE).outdated(spec, lock);
      assertEquals(List.of(new OutdatedPackage("libc6", "2.36-9", "2.36-9+deb12u1", TestArchive.SUITE, false)),
          after.packages());

      ImageSpec more = ImageSpec.builder().addSource(moving.source()).addPackage("dash").addPackage("libc6")
          .architecture("amd64").outputDirectory(own.resolve("out")).cacheDirectory(own.resolve("cache")).build();
      assertTrue(new ImageBuilder(BuildListener.NONE).outdated(more, lock).inputsChanged());
    } finally {
      moving.close();
    }
  }
}
