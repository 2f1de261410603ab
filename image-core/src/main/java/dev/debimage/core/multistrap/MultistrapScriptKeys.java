package dev.debimage.core.multistrap;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.hooks.MultistrapScripts;
import dev.debimage.core.multistrap.MultistrapConfig.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the script keys of a multistrap configuration: {@code setupscript}, {@code configscript},
 * {@code hookdir} and {@code omitpreinst}. Relative paths are relative to the directory of the
 * file that sets the key.
 */
final class MultistrapScriptKeys {

  private MultistrapScriptKeys() {}

  /**
   * Returns the scripts that {@code config} names.
   *
   * @throws ImageBuildException when a script or hook directory is missing or a script is not
   *     executable, naming the key, file and line
   */
  static MultistrapScripts read(MultistrapConfig config, BuildListener listener, List<String> notes) {
    Optional<Path> setup = script(config.general("setupscript"));
    Optional<Path> configure = script(config.general("configscript"));
    List<Path> download = new ArrayList<>();
    List<Path> nativeHooks = new ArrayList<>();
    List<Path> completion = new ArrayList<>();
    Optional<Value> hookdir = config.general("hookdir").filter(value -> !value.text().isEmpty());
    if (hookdir.isPresent()) {
      for (String word : hookdir.get().words()) {
        Path directory = resolve(hookdir.get(), word);
        if (!Files.isDirectory(directory)) {
          throw new ImageBuildException(
              "hookdir=" + word + " at " + hookdir.get().where() + " is not a directory (" + directory
                  + "): fix the path or remove it");
        }
        collectHooks(directory, hookdir.get(), download, nativeHooks, completion, listener, notes);
      }
    }
    // multistrap sorts each kind of hook by its resolved path before running them.
    download.sort(null);
    nativeHooks.sort(null);
    completion.sort(null);
    boolean omitPreinst = config.general("omitpreinst").map(MultistrapImport::bool).orElse(false);
    return new MultistrapScripts(setup, download, nativeHooks, configure, completion, omitPreinst);
  }

  private static Optional<Path> script(Optional<Value> value) {
    if (value.isEmpty() || value.get().text().isEmpty()) {
      return Optional.empty();
    }
    Path script = resolve(value.get(), value.get().text());
    if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
      throw new ImageBuildException(
          value.get().key() + "=" + value.get().text() + " at " + value.get().where() + " is not an"
              + " executable file (" + script + "): fix the path, or make it executable with chmod +x"
              + " (multistrap would skip it without running it)");
    }
    return Optional.of(script);
  }

  private static void collectHooks(Path directory, Value value, List<Path> download,
      List<Path> nativeHooks, List<Path> completion, BuildListener listener, List<String> notes) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.sorted().toList();
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to list hookdir " + directory + " named at " + value.where() + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      List<Path> kind = name.startsWith("download") ? download
          : name.startsWith("native") ? nativeHooks
          : name.startsWith("completion") ? completion
          : null;
      if (kind == null) {
        continue;
      }
      if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
        String message = "hook " + file + " of hookdir at " + value.where() + " is not an executable"
            + " file, so it does not run, as in multistrap";
        notes.add(message);
        listener.warn(message);
        continue;
      }
      try {
        kind.add(file.toRealPath());
      } catch (IOException e) {
        throw new ImageBuildException("failed to resolve hook " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static Path resolve(Value value, String text) {
    Path path = Path.of(text);
    if (path.isAbsolute()) {
      return path;
    }
    Path base = value.file().toAbsolutePath().getParent();
    return base.resolve(path).normalize();
  }
}
