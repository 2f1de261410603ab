package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the postinst scripts of the unpacked packages for their alternatives and diversions,
 * without running them.
 */
public final class PostinstScripts {

  private PostinstScripts() {}

  /**
   * Reads each package's postinst in unpack order, adds its diversions to {@code diversions}
   * (moving another package's file to the diverted path when the call has {@code --rename}),
   * warns about each call that could not be read, and returns the alternatives registered.
   */
  public static List<AlternativeRegistration> read(FileTree tree, List<UnpackedPackage> packages,
      Diversions diversions, BuildListener listener) {
    List<AlternativeRegistration> registrations = new ArrayList<>();
    for (UnpackedPackage pkg : packages) {
      Optional<String> postinst = pkg.archive().maintainerScript("postinst");
      if (postinst.isEmpty()) {
        continue;
      }
      ScriptEffects effects = MaintainerScriptReader.read(pkg.name(),
          pkg.binaryPackage().architecture(), "postinst", postinst.get(), tree);
      registrations.addAll(effects.alternatives());
      for (Diversion diversion : effects.diversions()) {
        diversions.add(diversion);
        if (diversion.rename()) {
          renameDiverted(tree, diversion);
        }
      }
      effects.unreadable().forEach(listener::warn);
    }
    return registrations;
  }

  /** Moves a file that another package shipped at the diverted path, as {@code --rename} does. */
  private static void renameDiverted(FileTree tree, Diversion diversion) {
    String path = MergedUsr.fold(PathNames.resolveLink("", diversion.path()));
    Optional<FileEntry> existing = tree.get(path);
    if (existing.isPresent() && existing.get().owner() != null
        && diversion.diverts(existing.get().owner()) && !existing.get().isDirectory()) {
      tree.move(path, MergedUsr.fold(PathNames.resolveLink("", diversion.divertedTo())));
    }
  }
}
