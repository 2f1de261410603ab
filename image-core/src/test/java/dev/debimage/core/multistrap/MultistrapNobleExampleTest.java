package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.debimage.core.BuildListener;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports examples/multistrap-noble/multistrap.conf with its placeholders replaced by unreachable
 * archive URIs. Its one keyring package is bundled, so the import reads nothing from them.
 */
class MultistrapNobleExampleTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "multistrap-noble", "multistrap.conf");
  private static final URI ARCHIVE = URI.create("http://archive.invalid/ubuntu");
  private static final URI SECURITY = URI.create("http://security.invalid/ubuntu");

  @TempDir Path dir;

  @Test
  void exampleMapsToThreeUbuntuSources() throws IOException {
    String text = Files.readString(EXAMPLE)
        .replace("http://SECURITY-MIRROR/ubuntu", SECURITY.toString())
        .replace("http://MIRROR/ubuntu", ARCHIVE.toString());
    assertFalse(text.contains("MIRROR/"), "a MIRROR URL is left in the copy");
    Path conf = dir.resolve("multistrap.conf");
    Files.writeString(conf, text);

    MultistrapImport.Result result =
        MultistrapImport.read(MultistrapConfig.parse(conf), "arm64", dir.resolve("generated"), BuildListener.NONE);

    assertEquals(Optional.of("amd64"), result.architecture());
    assertEquals(3, result.sources().size());
    assertEquals(List.of("noble"), result.sources().get(0).suites());
    assertEquals(List.of("noble-updates"), result.sources().get(1).suites());
    assertEquals(List.of("noble-security"), result.sources().get(2).suites());
    assertEquals(List.of(ARCHIVE), result.sources().get(1).uris());
    assertEquals(List.of(SECURITY), result.sources().get(2).uris());
    for (SourceSpec source : result.sources()) {
      assertEquals(List.of("main"), source.components(), source.origin());
      assertEquals(Optional.of(Keyring.BUNDLED_UBUNTU), source.signedBy(), source.origin());
    }
    assertEquals(List.of("ubuntu-keyring"), result.packages());
    assertEquals(Set.of("required"), result.prioritySelector().orElseThrow().priorities());
    ApplicationLayer layer = result.aptSources().orElseThrow();
    assertEquals(3, layer.entries().size());
    assertEquals(
        "deb [arch=amd64] " + SECURITY + " noble-security main\n",
        Files.readString(layer.entries().get(2).source()));
  }
}
