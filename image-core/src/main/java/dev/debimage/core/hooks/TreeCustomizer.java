package dev.debimage.core.hooks;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.hooks.DirectoryWriter.DiskStamp;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the scripts of {@link ScriptSettings} on an assembled tree: writes it to a temporary
 * directory, runs the stages in multistrap's order, and reads the result back.
 *
 * <ol>
 *   <li>the multistrap setup script, as {@code SCRIPT ROOT ARCH};
 *   <li>the multistrap download hooks, as {@code HOOK ROOT};
 *   <li>with maintainer scripts on: the native hooks as {@code HOOK ROOT start}, each preinst
 *       with {@code install} (unless omitted), {@code dpkg --configure -a}, the multistrap config
 *       script, and the native hooks as {@code HOOK ROOT end}, all commands in a chroot;
 *   <li>the multistrap completion hooks, as {@code HOOK ROOT};
 *   <li>the customize hooks, as {@code HOOK ROOT}.
 * </ol>
 */
public final class TreeCustomizer {

  /** The file that keeps services from starting while maintainer scripts run (invoke-rc.d's policy). */
  static final String POLICY_RC_D = "usr/sbin/policy-rc.d";

  /**
   * The inputs of a run besides the tree.
   *
   * @param architecture the image's Debian architecture, the setup script's second argument
   * @param timestamp the build timestamp, given to every path the scripts changed
   * @param workDirectory where the temporary directory and the content file are made
   * @param packageFiles the package files of the tree, for their maintainer scripts
   * @param listener receives the scripts' output and the summary
   */
  public record Context(
      String architecture, Instant timestamp, Path workDirectory, List<Path> packageFiles,
      BuildListener listener) {

    public Context {
      Objects.requireNonNull(architecture, "architecture");
      timestamp = Instant.ofEpochSecond(timestamp.getEpochSecond());
      Objects.requireNonNull(workDirectory, "workDirectory");
      packageFiles = List.copyOf(packageFiles);
      Objects.requireNonNull(listener, "listener");
    }
  }

  private final ScriptSettings settings;
  private final Context context;
  private final BuildListener listener;

  private TreeCustomizer(ScriptSettings settings, Context context) {
    this.settings = settings;
    this.context = context;
    this.listener = context.listener();
  }

  /**
   * Runs the scripts on {@code tree} and returns the tree read back, or {@code tree} itself
   * when the settings name nothing to run.
   *
   * @throws ImageBuildException when a script fails, or the maintainer script mode cannot run
   *     on this host or for this package set
   */
  public static CustomizedTree apply(FileTree tree, ScriptSettings settings, Context context) {
    if (settings.isEmpty()) {
      return new CustomizedTree(tree, null);
    }
    return new TreeCustomizer(settings, context).run(tree);
  }

  private CustomizedTree run(FileTree tree) {
    MultistrapScripts multistrap = settings.multistrap();
    MaintainerScriptMode mode = settings.maintainerScripts();
    if (multistrap.configScript().isPresent() && mode == MaintainerScriptMode.OFF) {
      throw new ImageBuildException(
          "the multistrap configscript " + multistrap.configScript().get() + " runs in a chroot"
              + " of the root filesystem, typically to call dpkg --configure -a, which needs the"
              + " maintainer script mode: set <maintainerScripts>auto</maintainerScripts>"
              + " (image.maintainerScripts=auto), or remove configscript= from the configuration");
    }
    if (mode != MaintainerScriptMode.OFF) {
      checkRunnable(tree);
    }
    Privilege privilege = Privilege.choose(mode);
    IdMapping ids = switch (privilege) {
      case BUILD_USER -> IdMapping.ALL_ROOT;
      case ROOT -> IdMapping.IDENTITY;
      case USER_NAMESPACE -> IdMapping.userNamespace();
    };
    ScriptLauncher launcher = new ScriptLauncher(privilege, ids, listener);
    if (mode == MaintainerScriptMode.OFF && !multistrap.nativeHooks().isEmpty()) {
      listener.warn("not running the multistrap native hooks " + multistrap.nativeHooks()
          + ": multistrap runs them around the configuration of the packages, which happens here"
          + " only with <maintainerScripts> set to auto, root or unshare");
    }

    Path work = createWorkDirectory();
    ContentSpill spill = null;
    try {
      Path root = work.resolve("root");
      Files.createDirectory(root);
      Map<String, DiskStamp> written = DirectoryWriter.write(tree, root, privilege == Privilege.ROOT);
      ChangeFence.pass(work.resolve("fence"), written.values());

      runStages(launcher, root);

      spill = new ContentSpill(work.resolveSibling(work.getFileName() + ".content"));
      DirectoryReader.Result result =
          DirectoryReader.read(root, tree, written, ids, context.timestamp(), spill, listener);
      listener.info("The scripts changed or added " + result.changed() + " paths and removed "
          + result.removed() + "; " + spill.size() + " bytes of new content");
      CustomizedTree customized = new CustomizedTree(result.tree(), spill);
      spill = null;
      return customized;
    } catch (IOException e) {
      throw new ImageBuildException("failed to prepare the tree for the scripts in " + work + ": " + e, e);
    } finally {
      if (spill != null) {
        try {
          spill.close();
        } catch (IOException e) {
          listener.warn("failed to delete " + work + ".content: " + e);
        }
      }
      launcher.deleteInNamespace(work.resolve("root"));
      delete(work);
    }
  }

  private void runStages(ScriptLauncher launcher, Path root) throws IOException {
    MultistrapScripts multistrap = settings.multistrap();
    String rootArgument = root.toString();
    if (multistrap.setupScript().isPresent()) {
      launcher.runOnHost("multistrap setupscript", multistrap.setupScript().get(),
          List.of(rootArgument, context.architecture()));
    }
    for (Path hook : multistrap.downloadHooks()) {
      launcher.runOnHost("multistrap download hook", hook, List.of(rootArgument));
    }
    if (settings.maintainerScripts() != MaintainerScriptMode.OFF) {
      configure(launcher, root);
    }
    for (Path hook : multistrap.completionHooks()) {
      launcher.runOnHost("multistrap completion hook", hook, List.of(rootArgument));
    }
    for (Path hook : settings.customizeHooks()) {
      launcher.runOnHost("customize hook", hook, List.of(rootArgument));
    }
  }

  /** Runs the maintainer scripts as multistrap's native mode does, with the native hooks around them. */
  private void configure(ScriptLauncher launcher, Path root) throws IOException {
    MultistrapScripts multistrap = settings.multistrap();
    String rootArgument = root.toString();
    List<ControlMembers> packages = new ArrayList<>();
    for (Path deb : context.packageFiles()) {
      packages.add(ControlMembers.read(deb));
    }
    packages.sort(Comparator.comparing(ControlMembers::infoName));
    List<UnpackedState.Preinst> preinsts = UnpackedState.prepare(root, packages);

    List<Path> placeholders = new ArrayList<>();
    Path policy = DirectoryWriter.locate(root, POLICY_RC_D);
    boolean ownPolicy = false;
    try {
      placeholders.addAll(createDevicePlaceholders(root));
      if (!Files.exists(policy, LinkOption.NOFOLLOW_LINKS)) {
        // invoke-rc.d starts no service when policy-rc.d exits with 101.
        Files.writeString(policy, "#!/bin/sh\nexit 101\n");
        Files.setAttribute(policy, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
        ownPolicy = true;
      }

      for (Path hook : multistrap.nativeHooks()) {
        launcher.runOnHost("multistrap native hook", hook, List.of(rootArgument, "start"));
      }
      if (!multistrap.omitPreinst()) {
        for (UnpackedState.Preinst preinst : preinsts) {
          launcher.runInChroot("preinst", preinst.path(), root, List.of(preinst.path(), "install"),
              scriptEnvironment(preinst));
        }
      }
      launcher.runInChroot("maintainer scripts:", "dpkg --configure -a", root,
          List.of("dpkg", "--configure", "-a"));
      if (multistrap.configScript().isPresent()) {
        Path script = multistrap.configScript().get();
        String name = script.getFileName().toString();
        Path copy = DirectoryWriter.locate(root, name);
        Files.copy(script, copy, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(copy, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
        launcher.runInChroot("multistrap configscript", name, root, List.of("/" + name));
      }
      for (Path hook : multistrap.nativeHooks()) {
        launcher.runOnHost("multistrap native hook", hook, List.of(rootArgument, "end"));
      }
    } finally {
      if (ownPolicy) {
        Files.deleteIfExists(policy);
      }
      for (int i = placeholders.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(placeholders.get(i));
      }
    }
  }

  /** Returns the variables that dpkg sets for a maintainer script, which dpkg-maintscript-helper reads. */
  private static Map<String, String> scriptEnvironment(UnpackedState.Preinst preinst) {
    return Map.of(
        "DPKG_MAINTSCRIPT_PACKAGE", preinst.control().require("Package", "control file"),
        "DPKG_MAINTSCRIPT_ARCH", preinst.control().get("Architecture", "all"),
        "DPKG_MAINTSCRIPT_NAME", "preinst",
        "DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT", "1",
        "DPKG_ADMINDIR", "/var/lib/dpkg",
        "DPKG_ROOT", "");
  }

  /**
   * Creates {@code dev} and empty files as mount points for the host's device nodes where the
   * tree has none, and returns what it created.
   */
  private static List<Path> createDevicePlaceholders(Path root) throws IOException {
    List<Path> created = new ArrayList<>();
    Path dev = DirectoryWriter.locate(root, "dev");
    if (!Files.exists(dev, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dev);
      created.add(dev);
    }
    if (!Files.isDirectory(dev, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageBuildException("/dev of the tree is not a directory, so no device can be mounted there");
    }
    for (String device : ScriptLauncher.DEVICES) {
      Path node = dev.resolve(device);
      if (!Files.exists(node, LinkOption.NOFOLLOW_LINKS)) {
        Files.createFile(node);
        created.add(node);
      }
    }
    return created;
  }

  /** Checks that the tree has dpkg and a shell, without which no maintainer script can run. */
  private void checkRunnable(FileTree tree) {
    for (String command : List.of("usr/bin/dpkg", "bin/sh")) {
      Optional<FileEntry> entry = tree.resolve(command);
      if (entry.isEmpty() || entry.get().type() == EntryType.DIRECTORY) {
        throw new ImageBuildException(
            "maintainer script mode '" + settings.maintainerScripts().configName() + "' needs /"
                + command + " in the image, but no package of the package set ships it: add"
                + " dpkg and a shell (such as dash, or variant essential) to the packages, or set"
                + " <maintainerScripts>off</maintainerScripts>");
      }
    }
  }

  private Path createWorkDirectory() {
    try {
      Files.createDirectories(context.workDirectory());
      return Files.createTempDirectory(context.workDirectory(), "customize-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to create a directory for the scripts in " + context.workDirectory() + ": " + e, e);
    }
  }

  /** Deletes {@code directory} without following links, making read-only directories writable first. */
  private void delete(Path directory) {
    try {
      Files.walkFileTree(directory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
          Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      listener.warn("failed to delete the temporary tree " + directory + ": " + e);
    }
  }
}
