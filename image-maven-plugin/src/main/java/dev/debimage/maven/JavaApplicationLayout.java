package dev.debimage.maven;

import dev.debimage.core.spec.ApplicationLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lays a Java application out in the image as Jib does. Released dependencies, snapshot
 * dependencies, resources and classes each get a layer, ordered from the least to the most often
 * changed, so a change to one class rebuilds only the last layer.
 */
final class JavaApplicationLayout {

  static final String APP_ROOT = "/app";
  static final String LIBS = APP_ROOT + "/libs";
  static final String RESOURCES = APP_ROOT + "/resources";
  static final String CLASSES = APP_ROOT + "/classes";

  /** A runtime dependency: its file and whether its version is a snapshot. */
  record Dependency(Path file, String fileName, boolean snapshot) {}

  private final List<ApplicationLayer> layers = new ArrayList<>();
  private final List<String> classpath = new ArrayList<>();

  JavaApplicationLayout(Path classesDirectory, List<Dependency> dependencies) {
    List<ApplicationLayer.Entry> released = new ArrayList<>();
    List<ApplicationLayer.Entry> snapshots = new ArrayList<>();
    List<String> libraryPaths = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Dependency dependency : dependencies) {
      String name = dependency.fileName();
      if (!names.add(name)) {
        throw new IllegalStateException("two runtime dependencies share the file name " + name);
      }
      String target = LIBS + "/" + name;
      libraryPaths.add(target);
      (dependency.snapshot() ? snapshots : released).add(new ApplicationLayer.Entry(dependency.file(), target));
    }

    List<ApplicationLayer.Entry> resources = new ArrayList<>();
    List<ApplicationLayer.Entry> classes = new ArrayList<>();
    if (Files.isDirectory(classesDirectory)) {
      for (Path file : regularFiles(classesDirectory)) {
        String relative = classesDirectory.relativize(file).toString().replace('\\', '/');
        if (relative.endsWith(".class")) {
          classes.add(new ApplicationLayer.Entry(file, CLASSES + "/" + relative));
        } else {
          resources.add(new ApplicationLayer.Entry(file, RESOURCES + "/" + relative));
        }
      }
    }

    addLayer("dependencies", released);
    addLayer("snapshot dependencies", snapshots);
    addLayer("resources", resources);
    addLayer("classes", classes);
    classpath.add(RESOURCES);
    classpath.add(CLASSES);
    classpath.addAll(libraryPaths);
  }

  List<ApplicationLayer> layers() {
    return layers;
  }

  /** Returns the class path in Maven's order: resources, classes, then each dependency's jar. */
  String classpath() {
    return String.join(":", classpath);
  }

  private void addLayer(String name, List<ApplicationLayer.Entry> entries) {
    if (!entries.isEmpty()) {
      layers.add(new ApplicationLayer(name, entries));
    }
  }

  private static List<Path> regularFiles(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to list " + directory, e);
    }
  }
}
