package dev.debimage.core.assembly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the openssl command-line tool, the oracle for certificate tests. */
final class OpenSsl {

  private OpenSsl() {}

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/openssl"));
  }

  /** Runs openssl with {@code args} and returns its standard output; fails on a non-zero exit. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("/usr/bin/openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }
}
