package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ApplicationLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationLayerBuilderTest {

  private static final Instant TIMESTAMP = Instant.parse("2024-05-01T12:00:00Z");

  @TempDir Path temp;
  private Path sources;
  private Path blobs;
  private Path index;

  @BeforeEach
  void createSources() throws IOException {
    sources = Files.createDirectories(temp.resolve("src"));
    blobs = temp.resolve("cache/blobs");
    index = temp.resolve("cache/index");
    Path classes = Files.createDirectories(sources.resolve("classes/com/example"));
    Files.writeString(classes.resolve("Main.class"), "main bytes");
    Files.writeString(classes.resolve("A.class"), "a bytes");
    Files.writeString(sources.resolve("classes/app.properties"), "greeting=hello\n");
    Files.writeString(sources.resolve("run.sh"), "#!/bin/sh\necho hi\n");
  }

  private ApplicationLayer layer() {
    return new ApplicationLayer(
        "classes",
        List.of(
            new ApplicationLayer.Entry(sources.resolve("classes"), "/app/classes"),
            new ApplicationLayer.Entry(sources.resolve("run.sh"), "/app/bin/run.sh")));
  }

  @Test
  void digestsMatchBlobContent() throws IOException {
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);

    byte[] blob = Files.readAllBytes(layer.blob());
    assertEquals(Digests.sha256(blob), layer.digest());
    assertEquals(blob.length, layer.size());
    assertEquals(blobs.resolve(Digests.hex(layer.digest())), layer.blob());
    assertEquals(Digests.sha256(gunzip(blob)), layer.diffId());
    assertEquals(Layer.OCI_GZIP_MEDIA_TYPE, layer.mediaType());
    assertEquals("debimage application layer classes: /app/bin/run.sh /app/classes", layer.createdBy());
  }

  @Test
  void tarHasSortedEntriesWithFixedMetadata() throws IOException {
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);

    List<TarArchiveEntry> entries = readTar(gunzip(Files.readAllBytes(layer.blob())));
    List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
    assertEquals(
        List.of(
            "app/",
            "app/bin/",
            "app/bin/run.sh",
            "app/classes/",
            "app/classes/app.properties",
            "app/classes/com/",
            "app/classes/com/example/",
            "app/classes/com/example/A.class",
            "app/classes/com/example/Main.class"),
        names);
    for (TarArchiveEntry entry : entries) {
      assertEquals(TIMESTAMP.getEpochSecond(), entry.getModTime().toInstant().getEpochSecond(), entry.getName());
      assertEquals(0, entry.getLongUserId(), entry.getName());
      assertEquals(0, entry.getLongGroupId(), entry.getName());
      assertEquals("", entry.getUserName(), entry.getName());
      assertEquals(entry.isDirectory() ? 0755 : 0644, entry.getMode() & 07777, entry.getName());
    }
  }

  @Test
  void tarTimesAreBuildTimestamp() throws IOException {
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);

    // jib writes PAX access, change and creation times, which must be the build timestamp, not the host's.
    String tar = new String(gunzip(Files.readAllBytes(layer.blob())), StandardCharsets.ISO_8859_1);
    Matcher times = Pattern.compile("(atime|ctime|creationtime)=([0-9.]+)\n").matcher(tar);
    int count = 0;
    while (times.find()) {
      assertEquals(String.valueOf(TIMESTAMP.getEpochSecond()), times.group(2), times.group());
      count++;
    }
    assertEquals(3 * 9, count);
    assertFalse(tar.contains(System.getProperty("user.name") + "\0"), "layer tar names the build user");
  }

  @Test
  void fileContentIsCopied() throws IOException {
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);

    byte[] tar = gunzip(Files.readAllBytes(layer.blob()));
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      TarArchiveEntry entry;
      String content = null;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.getName().equals("app/bin/run.sh")) {
          content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      assertEquals("#!/bin/sh\necho hi\n", content);
    }
  }

  @Test
  void sameInputsGiveIdenticalBlob() throws IOException {
    Layer first = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);
    byte[] firstBytes = Files.readAllBytes(first.blob());
    // A second cache and a later file modification time must not change the blob.
    Files.setLastModifiedTime(sources.resolve("run.sh"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    Layer second =
        new ApplicationLayerBuilder(temp.resolve("other/blobs"), temp.resolve("other/index"))
            .build(layer(), TIMESTAMP);

    assertEquals(first.digest(), second.digest());
    assertEquals(first.diffId(), second.diffId());
    assertArrayEquals(firstBytes, Files.readAllBytes(second.blob()));
  }

  @Test
  void cacheReusesBlobForSameInputs() throws IOException {
    ApplicationLayerBuilder builder = new ApplicationLayerBuilder(blobs, index);
    Layer first = builder.build(layer(), TIMESTAMP);
    FileTime written = Files.getLastModifiedTime(first.blob());
    Files.setLastModifiedTime(first.blob(), FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));

    Layer second = builder.build(layer(), TIMESTAMP);

    assertEquals(first, second);
    assertEquals(
        Instant.parse("2000-01-01T00:00:00Z"), Files.getLastModifiedTime(second.blob()).toInstant(),
        "the blob was rewritten although the cache had it (first written " + written + ")");
    try (var listing = Files.list(index)) {
      assertEquals(1, listing.count());
    }
  }

  @Test
  void changedContentGivesNewBlob() throws IOException {
    ApplicationLayerBuilder builder = new ApplicationLayerBuilder(blobs, index);
    Layer first = builder.build(layer(), TIMESTAMP);
    FileTime mtime = Files.getLastModifiedTime(sources.resolve("run.sh"));
    // Same size and modification time: only the content hash can tell.
    Files.writeString(sources.resolve("run.sh"), "#!/bin/sh\necho HI\n");
    Files.setLastModifiedTime(sources.resolve("run.sh"), mtime);

    Layer second = builder.build(layer(), TIMESTAMP);

    assertNotEquals(first.digest(), second.digest());
    assertEquals(Digests.sha256(Files.readAllBytes(second.blob())), second.digest());
  }

  @Test
  void changedTimestampGivesNewBlob() {
    ApplicationLayerBuilder builder = new ApplicationLayerBuilder(blobs, index);
    Layer first = builder.build(layer(), TIMESTAMP);
    Layer second = builder.build(layer(), TIMESTAMP.plusSeconds(60));

    assertNotEquals(first.diffId(), second.diffId());
  }

  @Test
  void damagedCachedBlobIsRebuilt() throws IOException {
    ApplicationLayerBuilder builder = new ApplicationLayerBuilder(blobs, index);
    Layer first = builder.build(layer(), TIMESTAMP);
    byte[] good = Files.readAllBytes(first.blob());
    byte[] damaged = good.clone();
    damaged[damaged.length / 2] ^= 0x55;
    Files.write(first.blob(), damaged);

    Layer second = builder.build(layer(), TIMESTAMP);

    assertEquals(first.digest(), second.digest());
    assertArrayEquals(good, Files.readAllBytes(second.blob()));
  }

  @Test
  void recordOfAnotherKeyIsIgnored() throws IOException {
    ApplicationLayerBuilder builder = new ApplicationLayerBuilder(blobs, index);
    Layer first = builder.build(layer(), TIMESTAMP);
    Layer other = builder.build(layer(), TIMESTAMP.plusSeconds(60));
    List<Path> records;
    try (var listing = Files.list(index)) {
      records = listing.sorted().toList();
    }
    assertEquals(2, records.size());
    // Each record copied under the other's name must not make a build take the other layer.
    byte[] firstRecord = Files.readAllBytes(records.get(0));
    Files.write(records.get(0), Files.readAllBytes(records.get(1)));
    Files.write(records.get(1), firstRecord);

    assertEquals(first, builder.build(layer(), TIMESTAMP));
    assertEquals(other, builder.build(layer(), TIMESTAMP.plusSeconds(60)));
  }

  @Test
  void rootTargetCopiesDirectoryContents() throws IOException {
    ApplicationLayer root =
        new ApplicationLayer("root", List.of(new ApplicationLayer.Entry(sources.resolve("classes/com"), "/")));
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(root, TIMESTAMP);

    List<String> names =
        readTar(gunzip(Files.readAllBytes(layer.blob()))).stream().map(TarArchiveEntry::getName).toList();
    assertEquals(List.of("example/", "example/A.class", "example/Main.class"), names);
  }

  @Test
  void symlinkedFileIsCopiedAsRegularFile() throws IOException {
    Files.createSymbolicLink(sources.resolve("classes/link.properties"), sources.resolve("classes/app.properties"));
    Layer layer = new ApplicationLayerBuilder(blobs, index).build(layer(), TIMESTAMP);

    TarArchiveEntry link =
        readTar(gunzip(Files.readAllBytes(layer.blob()))).stream()
            .filter(e -> e.getName().equals("app/classes/link.properties"))
            .findFirst()
            .orElseThrow();
    assertTrue(link.isFile());
    assertEquals(Files.size(sources.resolve("classes/app.properties")), link.getSize());
  }

  @Test
  void missingSourceIsRejected() {
    ApplicationLayer missing =
        new ApplicationLayer("libs", List.of(new ApplicationLayer.Entry(temp.resolve("nope.jar"), "/app/x.jar")));
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> new ApplicationLayerBuilder(blobs, index).build(missing, TIMESTAMP));
    assertTrue(e.getMessage().contains("nope.jar"), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void invalidTargetsAreRejected() {
    for (String target : List.of("app/x", "/app/../etc/passwd", "/app//x", "/app/", "/", "/./x")) {
      ApplicationLayer bad =
          new ApplicationLayer("bad", List.of(new ApplicationLayer.Entry(sources.resolve("run.sh"), target)));
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () -> new ApplicationLayerBuilder(blobs, index).build(bad, TIMESTAMP),
              target);
      assertTrue(e.getMessage().contains("'" + target + "'"), e.getMessage());
    }
  }

  @Test
  void duplicateTargetIsRejected() {
    ApplicationLayer twice =
        new ApplicationLayer(
            "twice",
            List.of(
                new ApplicationLayer.Entry(sources.resolve("run.sh"), "/app/run.sh"),
                new ApplicationLayer.Entry(sources.resolve("classes/app.properties"), "/app/run.sh")));
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> new ApplicationLayerBuilder(blobs, index).build(twice, TIMESTAMP));
    assertTrue(e.getMessage().contains("/app/run.sh"), e.getMessage());
  }

  @Test
  void emptyLayerIsRejected() {
    ApplicationLayer empty = new ApplicationLayer("empty", List.of());
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> new ApplicationLayerBuilder(blobs, index).build(empty, TIMESTAMP));
    assertTrue(e.getMessage().contains("'empty'"), e.getMessage());
  }

  @Test
  void symlinkLoopIsRejected() throws IOException {
    Path loop = Files.createDirectories(temp.resolve("loop/a"));
    Files.createSymbolicLink(loop.resolve("back"), temp.resolve("loop"));
    ApplicationLayer looping =
        new ApplicationLayer("loop", List.of(new ApplicationLayer.Entry(temp.resolve("loop"), "/loop")));
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> new ApplicationLayerBuilder(blobs, index).build(looping, TIMESTAMP));
    assertTrue(e.getMessage().contains("link loop"), e.getMessage());
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  static List<TarArchiveEntry> readTar(byte[] tar) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries.add(entry);
      }
    }
    return entries;
  }
}
