package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.sources.HostAptSources;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports examples/multistrap-bookworm/multistrap.conf with its {@code http://MIRROR} URLs replaced
 * by the archive URLs of the build host's apt sources, so that no mirror name is written down.
 */
class MultistrapBookwormExampleTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "multistrap-bookworm", "multistrap.conf");

  @TempDir Path dir;

  /** Returns the URI of the host source that has {@code suite}, if the host has one. */
  private static Optional<URI> hostUri(List<SourceSpec> host, String suite) {
    return host.stream()
        .filter(source -> source.suites().contains(suite))
        .flatMap(source -> source.uris().stream())
        .findFirst();
  }

  @Test
  void exampleMapsWithHostMirror() throws IOException {
    List<SourceSpec> host = HostAptSources.readHost();
    Optional<URI> debian = hostUri(host, "bookworm");
    Optional<URI> security = hostUri(host, "bookworm-security");
    Assumptions.assumeTrue(debian.isPresent() && security.isPresent(),
        "the host's apt sources have no bookworm and bookworm-security suites");
    String text = Files.readString(EXAMPLE)
        .replace("http://MIRROR/debian-security", security.get().toString())
        .replace("http://MIRROR/debian", debian.get().toString());
    assertTrue(!text.contains("MIRROR/"), "a MIRROR URL is left in the copy");
    Path conf = dir.resolve("multistrap.conf");
    Files.writeString(conf, text);

    MultistrapImport.Result result =
        MultistrapImport.read(MultistrapConfig.parse(conf), "arm64", dir.resolve("generated"), BuildListener.NONE);

    assertEquals(Optional.of("amd64"), result.architecture());
    assertEquals(3, result.sources().size());
    assertEquals(List.of(debian.get()), result.sources().get(0).uris());
    assertEquals(List.of("bookworm"), result.sources().get(0).suites());
    assertEquals(List.of("bookworm-updates"), result.sources().get(1).suites());
    assertEquals(List.of(security.get()), result.sources().get(2).uris());
    for (SourceSpec source : result.sources()) {
      assertEquals(Optional.of(Keyring.BUNDLED_DEBIAN), source.signedBy(), source.origin());
    }
    assertEquals(List.of("ca-certificates", "tzdata", "debian-archive-keyring"), result.packages());
    assertEquals(Set.of("required"), result.prioritySelector().orElseThrow().priorities());
    ApplicationLayer layer = result.aptSources().orElseThrow();
    assertEquals(2, layer.entries().size());
    assertEquals(
        "deb [arch=amd64] " + debian.get() + " bookworm main\n",
        Files.readString(layer.entries().get(0).source()));
  }
}
