package dev.debimage.core.outputs;

import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.image.ApplicationLayerBuilder;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.LayerCompression;
import dev.debimage.core.layers.PackageLayering;
import dev.debimage.core.layers.TarLayerWriter;
import dev.debimage.core.spec.ApplicationLayer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a small image from fixture files it writes itself, with a packages-style layer from the
 * tar layer writer and two application layers, and writes every output. {@link ReproducibleBuildTest}
 * runs it in child JVMs with different environments and compares the outputs.
 *
 * <p>Arguments: the work directory and the output directory. It prints the manifest digest and the
 * environment it saw, one {@code key=value} per line.
 */
final class ReproducibleBuildMain {

  static final Instant TIMESTAMP = Instant.parse("2025-03-01T08:30:00Z");

  private ReproducibleBuildMain() {}

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[0]);
    Path output = Path.of(args[1]);

    Path files = Files.createDirectories(work.resolve("files"));
    Path script = Files.writeString(files.resolve("run.sh"), "#!/bin/sh\necho grüß dich\n", StandardCharsets.UTF_8);
    Path conf = Files.createDirectories(files.resolve("conf"));
    Files.writeString(conf.resolve("app.properties"), "greeting=hello\n", StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("LOGGING.INI"), "level=INFO\n", StandardCharsets.UTF_8);

    Path blobs = work.resolve("cache/blobs/sha256");
    FileTree tree = new FileTree(TIMESTAMP);
    tree.addGeneratedDirectory("etc", 0755, 0, 0, TIMESTAMP);
    tree.addGeneratedFile("etc/os-release", "ID=debian\nNAME=\"Debian GNU/Linux\"\n".getBytes(StandardCharsets.UTF_8),
        0644, 0, 0, TIMESTAMP);
    tree.addGeneratedDirectory("tmp", 01777, 0, 0, TIMESTAMP);
    tree.addGeneratedDirectory("usr/bin", 0755, 0, 0, TIMESTAMP);
    tree.addGeneratedSymlink("bin", "usr/bin", TIMESTAMP);
    LayerBlob packages = TarLayerWriter.write(tree, blobs);

    ApplicationLayerBuilder applicationLayers = new ApplicationLayerBuilder(blobs, work.resolve("cache/layers"));
    Layer scripts =
        applicationLayers.build(
            new ApplicationLayer("scripts", List.of(new ApplicationLayer.Entry(script, "/app/run.sh"))), TIMESTAMP);
    Layer config =
        applicationLayers.build(
            new ApplicationLayer("conf", List.of(new ApplicationLayer.Entry(conf, "/app/conf"))), TIMESTAMP);

    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer(packages.digest(), packages.diffId(), packages.size(), packages.path(),
        Layer.OCI_GZIP_MEDIA_TYPE, "debimage: generated base files"));
    layers.addAll(packageLayers(work, blobs));
    layers.add(scripts);
    layers.add(config);
    TreeMap<String, String> environment = new TreeMap<>();
    environment.put("GREETING", "grüß dich");
    environment.put("TITLE", "İstanbul");
    TreeMap<String, String> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.title", "Reproducible İmage");
    ImageConfig settings =
        new ImageConfig(
            "amd64", List.of("/app/run.sh"), List.of(), environment, "65532:65532", "/app", TIMESTAMP,
            new TreeSet<>(Set.of("8080")), new TreeSet<>(Set.of("/data")), labels, "SIGTERM",
            new TreeMap<>(labels));
    BuiltImage image = new OciImageWriter().write(layers, settings);
    OutputWriter.write(image, List.of(), output, "reproducible/tiny:1.0");

    System.out.println("digest=" + image.manifestDigest());
    System.out.println("layers=" + layers.size());
    System.out.println("zone=" + ZoneId.systemDefault());
    System.out.println("charset=" + Charset.defaultCharset());
    System.out.println("locale=" + Locale.getDefault());
    System.out.println("fixtureMode=" + PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
  }

  /**
   * Builds three .deb files, assembles them and returns the layers that {@link PackageLayering}
   * splits the tree into: base, one large package, the rest and the dpkg database.
   */
  private static List<Layer> packageLayers(Path work, Path blobs) throws IOException {
    Path debs = Files.createDirectories(work.resolve("debs"));
    List<AssemblyInput> inputs = List.of(
        new DebBuilder("libc6", "2.36-9", "amd64").field("Priority", "optional")
            .dir("./usr/", 0755).dir("./usr/lib/", 0755)
            .file("./usr/lib/libc.so.6", "libc", 0755).writeInput(debs),
        new DebBuilder("big-runtime", "1.0-1", "amd64").field("Depends", "libc6")
            .dir("./usr/", 0755).dir("./usr/lib/", 0755)
            .file("./usr/lib/runtime.dat", "r".repeat(8192), 0644).writeInput(debs),
        new DebBuilder("tool", "1.0-1", "amd64").field("Depends", "libc6")
            .dir("./usr/", 0755).dir("./usr/bin/", 0755)
            .file("./usr/bin/tool", "#!/bin/sh\n", 0755).writeInput(debs));
    FileTree tree = Assembler.assemble(inputs, new AssemblyOptions("amd64", TIMESTAMP, work.resolve("cache/data")));
    List<Layer> layers = new ArrayList<>();
    for (PackageLayering.Group group : new PackageLayering(4096, 8, Set.of("libc6")).split(tree)) {
      LayerBlob blob = TarLayerWriter.write(group.entries(), blobs, LayerCompression.GZIP);
      layers.add(new Layer(blob.digest(), blob.diffId(), blob.size(), blob.path(), Layer.OCI_GZIP_MEDIA_TYPE,
          "debimage " + group.name() + ": " + String.join(" ", group.packages())));
    }
    return layers;
  }
}
