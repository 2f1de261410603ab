package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports every example configuration that the multistrap Debian package installs. Each must map
 * onto a spec or fail with a message that names the key it cannot honour.
 */
class MultistrapExamplesTest {

  private static final List<Path> EXAMPLE_DIRECTORIES =
      List.of(Path.of("/usr/share/multistrap"), Path.of("/usr/share/doc/multistrap/examples"));

  /**
   * The outcome for the examples of multistrap 2.2.11: null when the file maps, otherwise the text
   * that names the rejected key. Files that another version adds only get the general check.
   */
  private static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("trusty-ports.conf", "suite=trusty universe"),
          Map.entry("full.conf", "multiarch=amd64 armel"),
          Map.entry("multiarch.conf", "noauth=true"));

  @TempDir Path generated;

  private static List<Path> examples() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path directory : EXAMPLE_DIRECTORIES) {
      if (Files.isDirectory(directory)) {
        try (Stream<Path> list = Files.list(directory)) {
          list.filter(path -> path.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
        }
      }
    }
    return files;
  }

  @Test
  void everyShippedExampleMapsOrNamesKey() throws IOException {
    List<Path> files = examples();
    Assumptions.assumeFalse(files.isEmpty(), "multistrap is not installed (apt-get install multistrap)");

    for (Path file : files) {
      String name = file.getFileName().toString();
      String expected = KNOWN.get(name);
      try {
        MultistrapImport.Result result =
            MultistrapImport.read(MultistrapConfig.parse(file), "amd64", generated, BuildListener.NONE);
        assertTrue(expected == null, name + " maps, but the test expects: " + expected);
        assertFalse(result.sources().isEmpty(), name);
        assertTrue(result.prioritySelector().isPresent() || !result.packages().isEmpty(), name);
      } catch (ImageBuildException e) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(
            MultistrapKeys.ALL.stream().anyMatch(key -> message.contains(key.name())),
            "no key named in: " + message);
        if (KNOWN.containsKey(name)) {
          assertTrue(expected != null, name + " is expected to map, but: " + message);
          assertTrue(message.contains(expected), name + ": " + message);
        }
      }
    }
  }

  @Test
  void jessieExampleMapsToDebianSource() throws IOException {
    Path file = Path.of("/usr/share/multistrap/jessie.conf");
    Assumptions.assumeTrue(Files.isRegularFile(file), "multistrap is not installed");

    MultistrapImport.Result result =
        MultistrapImport.read(MultistrapConfig.parse(file), "amd64", generated, BuildListener.NONE);

    assertEquals(1, result.sources().size());
    assertEquals(List.of("jessie"), result.sources().get(0).suites());
    assertEquals(List.of("apt", "debian-archive-keyring"), result.packages());
    assertTrue(result.aptSources().isPresent());
  }
}
