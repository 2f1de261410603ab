package dev.debimage.core.hooks;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The scripts that run on the assembled tree, and whether the maintainer scripts run.
 *
 * @param customizeHooks scripts run on the build host as {@code HOOK ROOT}, in list order, last
 * @param maintainerScripts whether and how the packages' maintainer scripts run
 * @param multistrap the scripts of a multistrap configuration
 */
public record ScriptSettings(
    List<Path> customizeHooks, MaintainerScriptMode maintainerScripts, MultistrapScripts multistrap) {

  /** Nothing runs. */
  public static final ScriptSettings NONE =
      new ScriptSettings(List.of(), MaintainerScriptMode.OFF, MultistrapScripts.NONE);

  public ScriptSettings {
    customizeHooks = List.copyOf(customizeHooks);
    Objects.requireNonNull(maintainerScripts, "maintainerScripts");
    Objects.requireNonNull(multistrap, "multistrap");
  }

  /** Returns whether nothing would run, so the tree can go to the layer as it is. */
  public boolean isEmpty() {
    return customizeHooks.isEmpty() && maintainerScripts == MaintainerScriptMode.OFF
        && multistrap.isEmpty();
  }
}
