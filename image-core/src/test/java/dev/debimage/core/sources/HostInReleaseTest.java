package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the verifier against the InRelease files that apt downloaded on this machine, if any. */
class HostInReleaseTest {

  private static final Path APT_LISTS = Path.of("/var/lib/apt/lists");

  @TempDir Path dir;

  @Test
  void hostInReleaseVerifiesWithBundledKeys() throws Exception {
    List<Path> files = inReleaseFiles();
    Assumptions.assumeFalse(files.isEmpty(), "no InRelease files in " + APT_LISTS);

    for (Path file : files) {
      String text = SignatureVerifier.verifyClearsigned(Files.readAllBytes(file), Keyring.bundled(), file.toString());

      ReleaseFile release = ReleaseFile.parse(text, file.toString());
      assertTrue(release.codename().isPresent(), file.toString());
      release.checkSuite(release.codename().get(), file.toString());
      assertFalse(release.sha256Entries().isEmpty(), file.toString());
      assertTrue(release.date().isPresent(), file.toString());
      gpgvOutput(file).ifPresent(expected -> assertEquals(expected, text, file.toString()));
    }
  }

  @Test
  void hostInReleaseWithChangedByteIsRejected() throws Exception {
    List<Path> files = inReleaseFiles();
    Assumptions.assumeFalse(files.isEmpty(), "no InRelease files in " + APT_LISTS);
    Path file = files.get(0);
    byte[] changed = Files.readAllBytes(file);
    int digest = new String(changed, StandardCharsets.ISO_8859_1).indexOf("\nSHA256:\n ") + 10;
    assertTrue(digest > 10, "no SHA256 field in " + file);
    changed[digest] = (byte) (changed[digest] == '0' ? '1' : '0');

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(changed, Keyring.bundled(), file.toString()));

    assertTrue(e.getMessage().startsWith("bad signature"), e.getMessage());
  }

  private static List<Path> inReleaseFiles() throws IOException {
    if (!Files.isDirectory(APT_LISTS)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(APT_LISTS)) {
      return entries.filter(p -> p.getFileName().toString().endsWith("_InRelease")).sorted().toList();
    }
  }

  /** Returns the signed text as gpgv writes it, or empty when gpgv or the system keyring is missing. */
  private Optional<String> gpgvOutput(Path file) throws Exception {
    Path systemKeyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    if (!Files.isRegularFile(systemKeyring) || !Files.isExecutable(Path.of("/usr/bin/gpgv"))) {
      return Optional.empty();
    }
    Path output = dir.resolve(file.getFileName() + ".txt");
    Process process = new ProcessBuilder(
            "/usr/bin/gpgv", "--keyring", systemKeyring.toString(), "--output", output.toString(), file.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gpgv timed out on " + file);
    assertEquals(0, process.exitValue(), "gpgv rejects " + file + " although the verifier accepts it");
    return Optional.of(Files.readString(output, StandardCharsets.UTF_8));
  }
}
