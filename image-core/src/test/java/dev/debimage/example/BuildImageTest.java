package dev.debimage.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildResult;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the library example that docs/library.md quotes against the signed test archive, and
 * checks that the document quotes this source file exactly.
 */
class BuildImageTest {

  private static final Path SOURCE = Path.of("src/test/java/dev/debimage/example/BuildImage.java");
  private static final Path DOC = Path.of("../docs/library.md");

  @TempDir Path temp;

  @Test
  void exampleBuildsImageFromArchive() throws Exception {
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(temp.resolve("archive"));
    Path keyring = Files.write(temp.resolve("archive.gpg"), key.publicBinary());
    Path jar = Files.writeString(temp.resolve("app.jar"), "not a real jar, but copied as one");
    Path output = temp.resolve("image");

    BuildResult result;
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      result = BuildImage.build(
          server.uri(), List.of(archive.suite()), Optional.of(keyring), jar, List.of("hello"),
          output, temp.resolve("cache"));
    }

    assertEquals(List.of("greet-data", "hello", "libgreet"), result.packages().stream().map(BinaryPackage::name).toList());
    assertEquals("example/app:1.0", result.imageReference());
    assertEquals(result.manifestDigest(), Files.readString(output.resolve("digest")).strip());
    for (String name : List.of("oci/index.json", "image.tar", "packages.json", "sbom.spdx.json", "sbom.cdx.json")) {
      assertTrue(Files.isRegularFile(output.resolve(name)), "the example wrote no " + name);
    }
    assertTrue(result.layers().stream().anyMatch(layer -> layer.name().equals("application")),
        "no application layer in " + result.layers());
  }

  @Test
  void docQuotesExampleSource() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\n(package dev\\.debimage\\.example;\n.*?)```", Pattern.DOTALL).matcher(doc);

    assertTrue(block.find(), DOC + " quotes no BuildImage source");
    assertEquals(Files.readString(SOURCE, StandardCharsets.UTF_8), block.group(1),
        DOC + " and " + SOURCE + " differ: copy the class into the document");
  }
}
