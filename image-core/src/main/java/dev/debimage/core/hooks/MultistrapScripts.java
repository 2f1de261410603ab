package dev.debimage.core.hooks;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scripts that a multistrap configuration names, with the stages at which multistrap 2.2.11
 * runs them.
 *
 * @param setupScript run on the build host as {@code SCRIPT ROOT ARCH} once the packages are
 *     unpacked
 * @param downloadHooks run as {@code HOOK ROOT} after the setup script
 * @param nativeHooks run as {@code HOOK ROOT start} before and {@code HOOK ROOT end} after the
 *     packages are configured, only when maintainer scripts run
 * @param configScript copied into the root directory and run there in a chroot, after the
 *     packages are configured, which needs the maintainer script mode
 * @param completionHooks run as {@code HOOK ROOT} once everything else is done
 * @param omitPreinst whether to skip running each preinst script with {@code install} before
 *     {@code dpkg --configure -a}
 */
public record MultistrapScripts(
    Optional<Path> setupScript,
    List<Path> downloadHooks,
    List<Path> nativeHooks,
    Optional<Path> configScript,
    List<Path> completionHooks,
    boolean omitPreinst) {

  /** No scripts, and preinst scripts run when the maintainer script mode is on. */
  public static final MultistrapScripts NONE =
      new MultistrapScripts(Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(), false);

  public MultistrapScripts {
    Objects.requireNonNull(setupScript, "setupScript");
    Objects.requireNonNull(configScript, "configScript");
    downloadHooks = List.copyOf(downloadHooks);
    nativeHooks = List.copyOf(nativeHooks);
    completionHooks = List.copyOf(completionHooks);
  }

  /** Returns whether no script is named. */
  public boolean isEmpty() {
    return setupScript.isEmpty() && configScript.isEmpty() && downloadHooks.isEmpty()
        && nativeHooks.isEmpty() && completionHooks.isEmpty();
  }
}
