package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  /** Reads every member of a tarball, in order, keeping the entries and the file contents. */
  private static Map<TarArchiveEntry, byte[]> readTar(Path tar) throws IOException {
    Map<TarArchiveEntry, byte[]> members = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        members.put(entry, in.readAllBytes());
      }
    }
    return members;
  }

  private static byte[] member(Map<TarArchiveEntry, byte[]> members, String name) {
    return members.entrySet().stream()
        .filter(e -> e.getKey().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("missing member " + name))
        .getValue();
  }

  @Test
  void channelCopyMatchesTarStream() throws IOException {
    Map<String, Object> members = new java.util.TreeMap<>();
    int[] sizes = {0, 1, 511, 512, 513, 70_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] content = new byte[sizes[i]];
      new java.util.Random(i).nextBytes(content);
      members.put("blobs/sha256/bytes-" + i, content);
      Path blob = Files.write(temp.resolve("blob-" + i), content);
      members.put("blobs/sha256/layer-" + i,
          new dev.debimage.core.image.Layer(
              "sha256:" + dev.debimage.core.fetch.Sha256.hex(content), "sha256:" + dev.debimage.core.fetch.Sha256.hex(content),
              sizes[i], blob, "application/octet-stream", ""));
    }
    members.put("manifest.json", "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    DockerArchiveWriter.writeTar(members, temp.resolve("channel.tar"));
    DockerArchiveWriter.writeTarThroughStream(members, temp.resolve("stream.tar"));

    assertArrayEquals(Files.readAllBytes(temp.resolve("stream.tar")), Files.readAllBytes(temp.resolve("channel.tar")));
  }

  @Test
  void manifestJsonNamesConfigLayersAndTag() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "example/hello:1.0");

    Map<TarArchiveEntry, byte[]> members = readTar(tar);
    JsonNode manifest = JSON.readTree(member(members, "manifest.json"));
    assertEquals(1, manifest.size());
    JsonNode entry = manifest.get(0);
    String configPath = "blobs/sha256/" + Digests.hex(image.configDigest());
    assertEquals(configPath, entry.get("Config").asText());
    assertEquals("[\"example/hello:1.0\"]", entry.get("RepoTags").toString());
    assertArrayEquals(image.config(), member(members, configPath));
    assertEquals(image.layers().size(), entry.get("Layers").size());
    for (int i = 0; i < image.layers().size(); i++) {
      String path = entry.get("Layers").get(i).asText();
      assertEquals("blobs/sha256/" + Digests.hex(image.layers().get(i).digest()), path);
      assertArrayEquals(Files.readAllBytes(image.layers().get(i).blob()), member(members, path));
    }
    assertArrayEquals(image.manifest(), member(members, "blobs/sha256/" + Digests.hex(image.manifestDigest())));
    assertArrayEquals(OciIndex.indexJson(image, ImageReference.parse("example/hello:1.0")), member(members, "index.json"));
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(member(members, "oci-layout")));
  }

  @Test
  void entriesAreSortedWithFixedMetadata() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "example/hello:1.0");

    List<String> names = new ArrayList<>();
    for (TarArchiveEntry entry : readTar(tar).keySet()) {
      names.add(entry.getName());
      assertEquals(0, entry.getModTime().getTime(), entry.getName());
      assertEquals(0, entry.getLongUserId(), entry.getName());
      assertEquals(0, entry.getLongGroupId(), entry.getName());
      assertEquals("", entry.getUserName(), entry.getName());
      assertEquals("", entry.getGroupName(), entry.getName());
      assertEquals(entry.isDirectory() ? 0755 : 0644, entry.getMode() & 07777, entry.getName());
    }
    assertEquals(names.stream().sorted().toList(), names);
    assertEquals(9, names.size(), names.toString());
  }

  @Test
  void sameImageGivesIdenticalTarball() throws IOException {
    DockerArchiveWriter.write(TestImages.tinyImage(temp.resolve("one")), temp.resolve("one.tar"), "example/hello:1.0");
    DockerArchiveWriter.write(TestImages.tinyImage(temp.resolve("two")), temp.resolve("two.tar"), "example/hello:1.0");

    assertArrayEquals(Files.readAllBytes(temp.resolve("one.tar")), Files.readAllBytes(temp.resolve("two.tar")));
  }

  @Test
  void referenceWithoutTagIsTaggedLatest() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "localhost:5000/team/hello");

    JsonNode manifest = JSON.readTree(member(readTar(tar), "manifest.json"));
    assertEquals("[\"localhost:5000/team/hello:latest\"]", manifest.get(0).get("RepoTags").toString());
  }

  @Test
  void failedWriteKeepsPreviousTarball() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "example/hello:1.0");
    byte[] previous = Files.readAllBytes(tar);
    Files.delete(image.layers().get(0).blob());

    assertThrows(ImageBuildException.class, () -> DockerArchiveWriter.write(image, tar, "example/hello:2.0"));

    assertArrayEquals(previous, Files.readAllBytes(tar));
    try (Stream<Path> listing = Files.list(temp)) {
      assertEquals(List.of("image.tar", "work"), listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void invalidReferenceIsRejected() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class, () -> DockerArchiveWriter.write(image, temp.resolve("image.tar"), "Example/Hello"));
    assertTrue(e.getMessage().contains("'Example/Hello'"), e.getMessage());
  }
}
