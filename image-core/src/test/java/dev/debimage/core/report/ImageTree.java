package dev.debimage.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The root filesystem of a written image, unpacked from its OCI layout with tar, and the package
 * list that dpkg reads from it.
 */
final class ImageTree {

  /** A package as dpkg lists it: name without the {@code :ARCH} suffix, version, architecture. */
  record DpkgPackage(String name, String version, String architecture) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  private ImageTree(Path root) {
    this.root = root;
  }

  /** Unpacks every layer of the layout's only manifest into {@code root}, in order. */
  static ImageTree unpack(Path ociLayout, Path root) throws IOException, InterruptedException {
    JsonNode index = JSON.readTree(ociLayout.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(ociLayout, index.get("manifests").get(0).get("digest").asText()).toFile());
    Files.createDirectories(root);
    for (JsonNode layer : manifest.get("layers")) {
      List<String> command = new ArrayList<>(List.of("tar", "--no-same-owner", "-x", "-C", root.toString()));
      command.add(layer.get("mediaType").asText().endsWith("+zstd") ? "--zstd" : "-z");
      command.addAll(List.of("-f", blob(ociLayout, layer.get("digest").asText()).toString()));
      run(command);
    }
    return new ImageTree(root);
  }

  /** Returns the unpacked root directory. */
  Path root() {
    return root;
  }

  /**
   * Runs {@code dpkg --root=ROOT -l} and returns its packages by name. Every package must be in
   * state {@code ii} (desired install, installed); another state fails.
   */
  Map<String, DpkgPackage> dpkgList() throws IOException, InterruptedException {
    // COLUMNS widens dpkg's table so that no name or version is cut short.
    String output = run(List.of("env", "COLUMNS=400", "dpkg", "--root=" + root, "-l"));
    Map<String, DpkgPackage> packages = new TreeMap<>();
    boolean body = false;
    for (String line : output.split("\n")) {
      if (line.startsWith("+++-")) {
        body = true;
        continue;
      }
      if (!body || line.isBlank()) {
        continue;
      }
      String[] columns = line.trim().split("\\s+", 5);
      if (!columns[0].equals("ii")) {
        throw new AssertionError("dpkg lists a package in state " + columns[0] + ": " + line);
      }
      String name = columns[1].replaceFirst(":[a-z0-9-]+$", "");
      packages.put(name, new DpkgPackage(name, columns[2], columns[3]));
    }
    return packages;
  }

  private static Path blob(Path ociLayout, String digest) {
    return ociLayout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
    }
    return text;
  }
}
