package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the same image in two child JVMs that differ in working directory, time zone, locale,
 * default charset and umask, and checks that every output is byte for byte the same. The image has
 * package layers split from .deb files that each JVM builds and assembles itself.
 */
class ReproducibleBuildTest {

  @TempDir Path work;

  @Test
  void twoEnvironmentsGiveSameImage() throws Exception {
    Map<String, String> first =
        build(work.resolve("first"), "022", Map.of("TZ", "UTC", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"), List.of());
    Map<String, String> second =
        build(
            work.resolve("second/with/a/longer/path"),
            "077",
            Map.of("TZ", "Asia/Kathmandu", "LANG", "C", "LC_ALL", "C"),
            // Most build hosts have no Turkish locale installed, so system properties set the JVM locale.
            List.of("-Duser.language=tr", "-Duser.country=TR"));

    // The two builds really ran in different environments.
    assertNotEquals(first.get("zone"), second.get("zone"));
    assertNotEquals(first.get("charset"), second.get("charset"));
    assertNotEquals(first.get("locale"), second.get("locale"));
    assertNotEquals(first.get("fixtureMode"), second.get("fixtureMode"));

    // A generated layer, four package layers (base, big-runtime, packages, dpkg-database) and two
    // application layers.
    assertEquals("7", first.get("layers"));
    assertEquals(first.get("digest"), second.get("digest"));
    Path firstOutput = work.resolve("first/out");
    Path secondOutput = work.resolve("second/with/a/longer/path/out");
    assertEquals(first.get("digest") + "\n", Files.readString(secondOutput.resolve("digest")));
    assertEquals(-1, Files.mismatch(firstOutput.resolve("image.tar"), secondOutput.resolve("image.tar")));
    assertEquals(relativeFiles(firstOutput.resolve("oci")), relativeFiles(secondOutput.resolve("oci")));
    for (String file : relativeFiles(firstOutput.resolve("oci"))) {
      assertEquals(-1, Files.mismatch(firstOutput.resolve("oci").resolve(file), secondOutput.resolve("oci").resolve(file)), file);
    }
  }

  /** Runs {@link ReproducibleBuildMain} in a child JVM and returns the {@code key=value} lines it printed. */
  private static Map<String, String> build(
      Path directory, String umask, Map<String, String> environment, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add("/bin/sh");
    command.add("-c");
    command.add("umask " + umask + " && exec \"$@\"");
    command.add("sh");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(ReproducibleBuildMain.class.getName());
    command.add(directory.resolve("work").toString());
    command.add(directory.resolve("out").toString());

    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);

    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return values;
  }

  private static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString()).sorted().toList();
    }
  }
}
