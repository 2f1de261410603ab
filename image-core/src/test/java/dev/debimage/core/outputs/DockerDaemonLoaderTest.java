package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.OciImageWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads images with the real Docker CLI into podman's Docker-compatible API service, which the test
 * starts on a socket in its temporary directory with a private storage directory, so it touches no
 * other images. Tests that need the Docker CLI or podman are skipped when either is missing.
 */
class DockerDaemonLoaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DOCKER = Path.of("/usr/local/bin/docker");

  @TempDir Path temp;

  private Process service;
  private final List<String> messages = new ArrayList<>();

  private final BuildListener recorder = new BuildListener() {
    @Override
    public void info(String message) {
      messages.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
      messages.add("WARN " + message);
    }

    @Override
    public void debug(String message) {
      messages.add("DEBUG " + message);
    }
  };

  @AfterEach
  void stopService() throws InterruptedException {
    if (service != null) {
      service.destroy();
      if (!service.waitFor(20, TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor();
      }
    }
  }

  /** Returns the Docker CLI on the PATH or at /usr/local/bin/docker, skipping the test without one. */
  private static String dockerCli() {
    if (TestImages.onPath("docker")) {
      return "docker";
    }
    assumeTrue(Files.isExecutable(DOCKER), "the Docker CLI (docker) is not installed");
    return DOCKER.toString();
  }

  private List<String> podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of(
        "podman", "--runtime", "runc", "--cgroup-manager=cgroupfs", "--storage-driver", "vfs",
        "--root", temp.resolve("storage").toString(), "--runroot", temp.resolve("run").toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  /** Starts podman's Docker API service and returns the DOCKER_HOST value that reaches it. */
  private String startDaemon() throws IOException, InterruptedException {
    assumeTrue(TestImages.onPath("podman"), "podman is not installed, so no Docker API service can be started");
    Path socket = temp.resolve("docker.sock");
    String host = "unix://" + socket;
    service = new ProcessBuilder(podman("system", "service", "--time=0", host))
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("service.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(socket)) {
      if (!service.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("podman system service did not start: " + Files.readString(temp.resolve("service.log")));
      }
      Thread.sleep(50);
    }
    return host;
  }

  private DockerDaemonLoader loader(String executable, String dockerHost) throws IOException {
    Map<String, String> environment = Map.of(
        "DOCKER_HOST", dockerHost,
        "DOCKER_CONFIG", Files.createDirectories(temp.resolve("docker-config")).toString());
    return new DockerDaemonLoader(recorder, executable, System.getenv("PATH"), environment);
  }

  /** Returns the ID that podman shows for {@code reference}, or fails when podman lacks it. */
  private String podmanImageId(String reference) throws Exception {
    TestImages.Result inspect = TestImages.run(podman("image", "inspect", reference));
    assertEquals(0, inspect.status(), reference + ": " + inspect.output());
    return JSON.readTree(inspect.output()).get(0).path("Id").asText();
  }

  private Path writeOutputs(BuiltImage image, ImageTags tags) {
    Path output = temp.resolve("out");
    OutputWriter.write(image, List.of(), output, tags, Map.of());
    return output;
  }

  @Test
  void loadsImageUnderEveryTag() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.parse("example.test/debimage/hello:1.0", List.of("latest", "stable"));
    Path output = writeOutputs(image, tags);

    DockerDaemonLoader.Outcome outcome = loader(docker, host).load(output, tags, DockerDaemonLoader.Mode.AUTO);

    assertEquals(DockerDaemonLoader.Outcome.LOADED, outcome, String.join("\n", messages));
    for (ImageReference reference : tags.references()) {
      assertEquals(Digests.hex(image.configDigest()), podmanImageId(reference.toString()), reference.toString());
    }
  }

  @Test
  void secondLoadIsSkipped() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.parse("example.test/debimage/again:1.0", List.of("latest"));
    Path output = writeOutputs(image, tags);
    DockerDaemonLoader loader = loader(docker, host);
    assertEquals(DockerDaemonLoader.Outcome.LOADED, loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));
    messages.clear();

    DockerDaemonLoader.Outcome again = loader.load(output, tags, DockerDaemonLoader.Mode.TRUE);

    assertEquals(DockerDaemonLoader.Outcome.UP_TO_DATE, again, String.join("\n", messages));
    // The up-to-date check alone runs: no docker version query and no load.
    assertTrue(messages.stream().noneMatch(m -> m.contains("daemon platform")), messages.toString());
  }

  @Test
  void newTagIsLoadedAgain() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    DockerDaemonLoader loader = loader(docker, host);
    ImageTags first = ImageTags.of("example.test/debimage/grow:1.0");
    loader.load(writeOutputs(image, first), first, DockerDaemonLoader.Mode.TRUE);

    ImageTags more = ImageTags.parse("example.test/debimage/grow:1.0", List.of("edge"));
    DockerDaemonLoader.Outcome outcome = loader.load(writeOutputs(image, more), more, DockerDaemonLoader.Mode.TRUE);

    assertEquals(DockerDaemonLoader.Outcome.LOADED, outcome);
    assertEquals(Digests.hex(image.configDigest()), podmanImageId("example.test/debimage/grow:edge"));
  }

  @Test
  void multiPlatformLoadsDaemonArchitecture() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage amd64 = TestImages.tinyImage(temp.resolve("work"));
    BuiltImage arm64 = imageFor("arm64", amd64);
    ImageIndex index = ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("arm64", arm64), new ImageIndex.PlatformImage("amd64", amd64)),
        new TreeMap<>());
    ImageTags tags = ImageTags.parse("example.test/debimage/multi:1.0", List.of("latest"));
    Path output = temp.resolve("multi");
    MultiPlatformOutputWriter.write(index, Map.of("amd64", List.of(), "arm64", List.of()), output, tags, Map.of());
    TestImages.Result version = TestImages.run(List.of(docker, "-H", host, "version", "--format", "{{.Server.Arch}}"));
    assumeTrue(version.output().strip().equals("amd64"), "the daemon does not run on amd64: " + version.output());

    DockerDaemonLoader.Outcome outcome = loader(docker, host).load(output, tags, DockerDaemonLoader.Mode.TRUE);

    assertEquals(DockerDaemonLoader.Outcome.LOADED, outcome);
    assertEquals(Digests.hex(amd64.configDigest()), podmanImageId("example.test/debimage/multi:1.0"));
    assertEquals(Digests.hex(amd64.configDigest()), podmanImageId("example.test/debimage/multi:latest"));
  }

  @Test
  void multiPlatformReplacesOtherArchitecture() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage amd64 = TestImages.tinyImage(temp.resolve("work"));
    BuiltImage arm64 = imageFor("arm64", amd64);
    ImageIndex index = ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("arm64", arm64), new ImageIndex.PlatformImage("amd64", amd64)),
        new TreeMap<>());
    ImageTags tags = ImageTags.of("example.test/debimage/emulated:1.0");
    Path output = temp.resolve("multi");
    MultiPlatformOutputWriter.write(index, Map.of("amd64", List.of(), "arm64", List.of()), output, tags, Map.of());
    TestImages.Result version = TestImages.run(List.of(docker, "-H", host, "version", "--format", "{{.Server.Arch}}"));
    assumeTrue(version.output().strip().equals("amd64"), "the daemon does not run on amd64: " + version.output());
    // The arm64 image under the tag, as after podman load -i image-arm64.tar, is not the daemon's.
    TestImages.Result loaded = TestImages.run(podman("load", "-i", output.resolve("image-arm64.tar").toString()));
    assertEquals(0, loaded.status(), loaded.output());
    assertEquals(Digests.hex(arm64.configDigest()), podmanImageId("example.test/debimage/emulated:1.0"));

    DockerDaemonLoader.Outcome outcome = loader(docker, host).load(output, tags, DockerDaemonLoader.Mode.AUTO);

    assertEquals(DockerDaemonLoader.Outcome.LOADED, outcome, String.join("\n", messages));
    assertEquals(Digests.hex(amd64.configDigest()), podmanImageId("example.test/debimage/emulated:1.0"));
  }

  @Test
  void noMatchingPlatformNamesArchitectures() throws Exception {
    String docker = dockerCli();
    String host = startDaemon();
    BuiltImage base = TestImages.tinyImage(temp.resolve("work"));
    ImageIndex index = ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("arm64", imageFor("arm64", base)),
            new ImageIndex.PlatformImage("s390x", imageFor("s390x", base))),
        new TreeMap<>());
    ImageTags tags = ImageTags.of("example.test/debimage/foreign:1.0");
    Path output = temp.resolve("foreign");
    MultiPlatformOutputWriter.write(index, Map.of("arm64", List.of(), "s390x", List.of()), output, tags, Map.of());
    DockerDaemonLoader loader = loader(docker, host);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));
    assertTrue(e.getMessage().contains("built for arm64, s390x"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/amd64"), e.getMessage());

    assertEquals(DockerDaemonLoader.Outcome.SKIPPED, loader.load(output, tags, DockerDaemonLoader.Mode.AUTO));
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("WARN") && m.contains("arm64, s390x")), messages.toString());
  }

  @Test
  void autoWithoutDaemonSkips() throws Exception {
    String docker = dockerCli();
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    String nowhere = "unix://" + temp.resolve("nothing-listens.sock");

    DockerDaemonLoader.Outcome outcome = loader(docker, nowhere).load(output, tags, DockerDaemonLoader.Mode.AUTO);

    assertEquals(DockerDaemonLoader.Outcome.SKIPPED, outcome);
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("INFO") && m.contains("no Docker daemon responded")),
        messages.toString());
  }

  @Test
  void trueWithoutDaemonFails() throws Exception {
    String docker = dockerCli();
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    String nowhere = "unix://" + temp.resolve("nothing-listens.sock");
    DockerDaemonLoader loader = loader(docker, nowhere);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));

    assertTrue(e.getMessage().contains("no Docker daemon responded"), e.getMessage());
    assertTrue(e.getMessage().contains("version --format"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing-listens.sock"), e.getMessage());
  }

  @Test
  void noDaemonConfiguredReadsEnvironmentConfigAndSockets() throws Exception {
    Path home = Files.createDirectories(temp.resolve("home"));
    Path socket = temp.resolve("docker.sock");
    Map<String, String> bare = Map.of("HOME", home.toString());

    assertTrue(DockerDaemonLoader.noDaemonConfigured(bare, List.of(socket)));
    assertFalse(DockerDaemonLoader.noDaemonConfigured(
        Map.of("HOME", home.toString(), "DOCKER_HOST", "tcp://127.0.0.1:2375"), List.of(socket)));
    assertFalse(DockerDaemonLoader.noDaemonConfigured(
        Map.of("HOME", home.toString(), "DOCKER_CONTEXT", "rootless"), List.of(socket)));

    Files.writeString(Files.createDirectories(home.resolve(".docker")).resolve("config.json"), "{\"auths\": {}}");
    assertTrue(DockerDaemonLoader.noDaemonConfigured(bare, List.of(socket)));
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"desktop-linux\"}");
    assertFalse(DockerDaemonLoader.noDaemonConfigured(bare, List.of(socket)));

    Path configDirectory = Files.createDirectories(temp.resolve("docker-config"));
    Map<String, String> withConfig = Map.of("HOME", home.toString(), "DOCKER_CONFIG", configDirectory.toString());
    assertTrue(DockerDaemonLoader.noDaemonConfigured(withConfig, List.of(socket)));
    Files.createFile(socket);
    assertFalse(DockerDaemonLoader.noDaemonConfigured(withConfig, List.of(socket)));
  }

  @Test
  void missingExecutableSkipsOrFails() throws Exception {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    Path emptyBin = Files.createDirectories(temp.resolve("empty-bin"));
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, "docker", emptyBin.toString(), Map.of());

    assertTrue(loader.findExecutable().isEmpty());
    assertEquals(DockerDaemonLoader.Outcome.SKIPPED, loader.load(output, tags, DockerDaemonLoader.Mode.AUTO));
    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));
    assertTrue(e.getMessage().contains("no executable 'docker' found on the PATH"), e.getMessage());
    assertTrue(e.getMessage().contains("<dockerExecutable>"), e.getMessage());
  }

  @Test
  void falseNeverRunsDocker() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path marker = temp.resolve("ran");
    Path fake = Files.writeString(bin.resolve("docker"), "#!/bin/sh\ntouch " + marker + "\nexit 1\n");
    fake.toFile().setExecutable(true);
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, "docker", bin.toString(), Map.of());

    assertEquals(DockerDaemonLoader.Outcome.SKIPPED,
        loader.load(temp.resolve("no-output"), ImageTags.of("example/hello:1.0"), DockerDaemonLoader.Mode.FALSE));
    assertTrue(Files.notExists(marker));
    assertEquals(fake, loader.findExecutable().orElseThrow());
  }

  @Test
  void otherArchitectureIsSkippedUnlessRequested() throws Exception {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    Path loads = temp.resolve("loads");
    // A stand-in CLI whose daemon runs on another architecture than the image's.
    Path fake = Files.writeString(temp.resolve("fake-docker"), String.join("\n",
        "#!/bin/sh",
        "case \"$1\" in",
        "  version) echo linux/s390x ;;",
        "  image) echo 'Error: No such image' >&2; exit 1 ;;",
        "  load) cat > /dev/null; echo loaded >> " + loads + " ;;",
        "esac",
        ""));
    fake.toFile().setExecutable(true);
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, fake.toString(), "", Map.of());

    DockerDaemonLoader.Outcome auto = loader.load(output, tags, DockerDaemonLoader.Mode.AUTO);
    boolean loadedByAuto = Files.exists(loads);
    DockerDaemonLoader.Outcome requested = loader.load(output, tags, DockerDaemonLoader.Mode.TRUE);

    assertEquals(DockerDaemonLoader.Outcome.SKIPPED, auto);
    assertFalse(loadedByAuto);
    assertEquals(DockerDaemonLoader.Outcome.LOADED, requested);
    assertTrue(messages.stream().anyMatch(message -> message.startsWith("WARN Not loading")
        && message.contains("runs on linux/s390x")), messages.toString());
    assertTrue(messages.stream().anyMatch(message -> message.startsWith("WARN Loading the image into Docker although")),
        messages.toString());
  }

  @Test
  void hangingDaemonIsAskedOnce() throws Exception {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    Path calls = temp.resolve("calls");
    // A stand-in CLI that never returns, like one that talks to a hung daemon.
    Path fake = Files.writeString(temp.resolve("fake-docker"), String.join("\n",
        "#!/bin/sh",
        "echo \"$1\" >> " + calls,
        "sleep 30",
        ""));
    fake.toFile().setExecutable(true);
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, fake.toString(), "", Map.of())
        .queryTimeout(java.time.Duration.ofSeconds(1));

    DockerDaemonLoader.Outcome auto = loader.load(output, tags, DockerDaemonLoader.Mode.AUTO);
    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));

    assertEquals(DockerDaemonLoader.Outcome.SKIPPED, auto);
    assertEquals(List.of("image", "image"), Files.readAllLines(calls));
    assertTrue(e.getMessage().contains("timed out after 1 s"), e.getMessage());
  }

  @Test
  void failedLoadNamesCommandAndStderr() throws Exception {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.of("example.test/debimage/hello:1.0");
    Path output = writeOutputs(image, tags);
    // A stand-in CLI whose daemon responds but whose load fails, as a full disk would make it.
    Path fake = Files.writeString(temp.resolve("fake-docker"), String.join("\n",
        "#!/bin/sh",
        "case \"$1\" in",
        "  version) echo linux/amd64 ;;",
        "  image) echo 'Error: No such image' >&2; exit 1 ;;",
        "  load) cat > /dev/null; echo 'no space left on device' >&2; exit 7 ;;",
        "esac",
        ""));
    fake.toFile().setExecutable(true);
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, fake.toString(), "", Map.of());

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> loader.load(output, tags, DockerDaemonLoader.Mode.AUTO));

    assertTrue(e.getMessage().contains(fake + " load"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with 7"), e.getMessage());
    assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
  }

  @Test
  void tagsWhatLoadLeftUnnamed() throws Exception {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    ImageTags tags = ImageTags.parse("example.test/debimage/hello:1.0", List.of("latest"));
    Path output = writeOutputs(image, tags);
    Path state = Files.createDirectories(temp.resolve("state"));
    // A stand-in CLI whose load names the image under its first tag only, and which records tags.
    Path fake = Files.writeString(temp.resolve("fake-docker"), String.join("\n",
        "#!/bin/sh",
        "state=" + state,
        "case \"$1\" in",
        "  version) echo linux/amd64 ;;",
        "  load) cat > /dev/null; touch $state/loaded; echo 'Loaded image: example.test/debimage/hello:1.0' ;;",
        "  tag) echo \"$3\" >> $state/tagged ;;",
        "  image)",
        "    shift 4",
        "    for ref in \"$@\"; do",
        "      if [ -f $state/loaded ] && { [ \"$ref\" = example.test/debimage/hello:1.0 ] || grep -qx \"$ref\" $state/tagged 2>/dev/null; }; then",
        "        echo " + image.configDigest(),
        "      else echo \"Error: No such image: $ref\" >&2; missing=1; fi",
        "    done",
        "    exit ${missing:-0} ;;",
        "esac",
        ""));
    fake.toFile().setExecutable(true);
    DockerDaemonLoader loader = new DockerDaemonLoader(recorder, fake.toString(), "", Map.of());

    assertEquals(DockerDaemonLoader.Outcome.LOADED, loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));
    assertEquals(List.of("example.test/debimage/hello:latest"), Files.readAllLines(state.resolve("tagged")));
    assertEquals(DockerDaemonLoader.Outcome.UP_TO_DATE, loader.load(output, tags, DockerDaemonLoader.Mode.TRUE));
  }

  @Test
  void modeParsesValues() {
    assertEquals(DockerDaemonLoader.Mode.AUTO, DockerDaemonLoader.Mode.parse("auto"));
    assertEquals(DockerDaemonLoader.Mode.AUTO, DockerDaemonLoader.Mode.parse(null));
    assertEquals(DockerDaemonLoader.Mode.TRUE, DockerDaemonLoader.Mode.parse(" TRUE "));
    assertEquals(DockerDaemonLoader.Mode.FALSE, DockerDaemonLoader.Mode.parse("false"));
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> DockerDaemonLoader.Mode.parse("yes"));
    assertTrue(e.getMessage().contains("'yes'"), e.getMessage());
  }

  private static BuiltImage imageFor(String architecture, BuiltImage base) {
    ImageConfig config = new ImageConfig(
        architecture, List.of("/bin/cat"), List.of("/hello.txt"), new TreeMap<>(Map.of("APP_HOME", "/app")),
        "65532:65532", "/app", TestImages.CREATED);
    return new OciImageWriter().write(base.layers(), config);
  }
}
