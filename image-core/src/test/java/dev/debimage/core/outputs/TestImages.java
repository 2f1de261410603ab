package dev.debimage.core.outputs;

import dev.debimage.core.image.ApplicationLayerBuilder;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.spec.ApplicationLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/** Builds a tiny image of two layers of static files for output tests. */
final class TestImages {

  static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

  private TestImages() {}

  /** Builds the image under {@code work}; the same {@code work} contents give the same image. */
  static BuiltImage tinyImage(Path work) throws IOException {
    Path files = Files.createDirectories(work.resolve("files"));
    Files.writeString(files.resolve("hello.txt"), "hello from debimage\n");
    Path conf = Files.createDirectories(files.resolve("etc"));
    Files.writeString(conf.resolve("app.conf"), "level=info\n");
    ApplicationLayerBuilder builder =
        new ApplicationLayerBuilder(work.resolve("cache/blobs"), work.resolve("cache/index"));
    Layer first =
        builder.build(
            new ApplicationLayer("hello", List.of(new ApplicationLayer.Entry(files.resolve("hello.txt"), "/hello.txt"))),
            CREATED);
    Layer second =
        builder.build(
            new ApplicationLayer("conf", List.of(new ApplicationLayer.Entry(conf, "/app/etc"))), CREATED);
    TreeMap<String, String> environment = new TreeMap<>();
    environment.put("GREETING", "hello world");
    environment.put("APP_HOME", "/app");
    ImageConfig config =
        new ImageConfig(
            "amd64",
            List.of("/bin/cat"),
            List.of("/hello.txt"),
            environment,
            "65532:65532",
            "/app",
            CREATED);
    return new OciImageWriter().write(List.of(first, second), config);
  }

  /** Returns whether a program is on the PATH. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(":")) {
      if (Files.isExecutable(Path.of(directory, program))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command, returning its exit status and combined output. */
  static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** The exit status and combined output of a finished command. */
  record Result(int status, String output) {}
}
