package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void layoutIsStructurallyValid() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("out/image");
    OciLayoutWriter.write(image, layout, "example/hello:1.0");

    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(layout.resolve("oci-layout")));
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertEquals(2, index.get("schemaVersion").asInt());
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    assertEquals(1, index.get("manifests").size());
    JsonNode manifestDescriptor = index.get("manifests").get(0);
    assertEquals("1.0", manifestDescriptor.get("annotations").get("org.opencontainers.image.ref.name").asText());
    assertEquals("example/hello:1.0", manifestDescriptor.get("annotations").get("io.containerd.image.name").asText());

    Set<String> referenced = new HashSet<>();
    byte[] manifestBytes = checkBlob(layout, manifestDescriptor, referenced);
    assertEquals(image.manifestDigest(), manifestDescriptor.get("digest").asText());
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertEquals(BuiltImage.MANIFEST_MEDIA_TYPE, manifestDescriptor.get("mediaType").asText());
    byte[] configBytes = checkBlob(layout, manifest.get("config"), referenced);
    JsonNode config = JSON.readTree(configBytes);
    JsonNode diffIds = config.get("rootfs").get("diff_ids");
    assertEquals(manifest.get("layers").size(), diffIds.size());
    for (int i = 0; i < manifest.get("layers").size(); i++) {
      JsonNode layer = manifest.get("layers").get(i);
      byte[] blob = checkBlob(layout, layer, referenced);
      assertEquals(Layer.OCI_GZIP_MEDIA_TYPE, layer.get("mediaType").asText());
      assertEquals(diffIds.get(i).asText(), Digests.sha256(gunzip(blob)));
    }

    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      Set<String> present = new HashSet<>(blobs.map(p -> p.getFileName().toString()).toList());
      assertEquals(referenced, present);
    }
    try (Stream<Path> top = Files.list(layout)) {
      assertEquals(
          Set.of("blobs", "index.json", "oci-layout"),
          new HashSet<>(top.map(p -> p.getFileName().toString()).toList()));
    }
  }

  /** Checks that a descriptor's blob exists with its digest and size, and returns its bytes. */
  private static byte[] checkBlob(Path layout, JsonNode descriptor, Set<String> referenced) throws IOException {
    String digest = descriptor.get("digest").asText();
    Path blob = layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
    assertTrue(Files.isRegularFile(blob), "missing blob " + digest);
    byte[] bytes = Files.readAllBytes(blob);
    assertEquals(digest, Digests.sha256(bytes), "digest of " + blob);
    assertEquals(descriptor.get("size").asLong(), bytes.length, "size of " + blob);
    referenced.add(Digests.hex(digest));
    return bytes;
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  @Test
  void sameImageGivesIdenticalFiles() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    OciLayoutWriter.write(image, temp.resolve("one"), "example/hello:1.0");
    BuiltImage again = TestImages.tinyImage(temp.resolve("work2"));
    OciLayoutWriter.write(again, temp.resolve("two"), "example/hello:1.0");

    List<Path> files;
    try (Stream<Path> walk = Files.walk(temp.resolve("one"))) {
      files = walk.filter(Files::isRegularFile).map(temp.resolve("one")::relativize).sorted().toList();
    }
    assertEquals(6, files.size(), files.toString());
    for (Path file : files) {
      assertArrayEquals(
          Files.readAllBytes(temp.resolve("one").resolve(file)),
          Files.readAllBytes(temp.resolve("two").resolve(file)),
          file.toString());
    }
  }

  @Test
  void referenceWithoutTagIsTaggedLatest() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    OciLayoutWriter.write(image, temp.resolve("layout"), "registry.example:5000/hello");

    JsonNode annotations = JSON.readTree(temp.resolve("layout/index.json").toFile()).get("manifests").get(0).get("annotations");
    assertEquals("latest", annotations.get("org.opencontainers.image.ref.name").asText());
    assertEquals("registry.example:5000/hello:latest", annotations.get("io.containerd.image.name").asText());
  }

  @Test
  void previousLayoutIsReplaced() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(image, layout, "example/hello:1.0");
    Files.writeString(layout.resolve("blobs/sha256/stale"), "left over");

    OciLayoutWriter.write(image, layout, "example/hello:2.0");

    assertFalse(Files.exists(layout.resolve("blobs/sha256/stale")));
    assertTrue(Files.readString(layout.resolve("index.json")).contains("\"2.0\""));
    assertEquals(List.of("layout", "work"), siblings());
  }

  @Test
  void failedWriteKeepsPreviousLayout() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(image, layout, "example/hello:1.0");
    byte[] previousIndex = Files.readAllBytes(layout.resolve("index.json"));
    Files.delete(image.layers().get(1).blob());

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> OciLayoutWriter.write(image, layout, "example/hello:2.0"));

    assertTrue(e.getMessage().contains(image.layers().get(1).blob().toString()), e.getMessage());
    assertArrayEquals(previousIndex, Files.readAllBytes(layout.resolve("index.json")));
    assertEquals(List.of("layout", "work"), siblings(), "temporary directories were left behind");
  }

  @Test
  void nonLayoutDirectoryIsNotReplaced() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path sources = Files.createDirectories(temp.resolve("src"));
    Files.writeString(sources.resolve("Main.java"), "class Main {}");

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> OciLayoutWriter.write(image, sources, "example/hello"));

    assertTrue(e.getMessage().contains("not an OCI image layout"), e.getMessage());
    assertTrue(Files.exists(sources.resolve("Main.java")));
  }

  @Test
  void layoutIsReadableByOthers() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(image, layout, "example/hello");

    // Files the writer creates itself follow the umask, so check only what others may do.
    try (Stream<Path> walk = Files.walk(layout)) {
      for (Path path : walk.toList()) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        assertTrue(permissions.contains(PosixFilePermission.OTHERS_READ), path.toString());
        assertEquals(Files.isDirectory(path), permissions.contains(PosixFilePermission.OTHERS_EXECUTE), path.toString());
      }
    }
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> listing = Files.list(temp)) {
      return listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
