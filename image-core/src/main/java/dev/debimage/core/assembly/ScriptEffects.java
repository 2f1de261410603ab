package dev.debimage.core.assembly;

import java.util.List;

/**
 * The effects that {@link MaintainerScriptReader} found in maintainer scripts without running them.
 *
 * @param alternatives the {@code update-alternatives --install} calls, in script order
 * @param diversions the {@code dpkg-divert --add} calls, in script order
 * @param unreadable one sentence per call that was not applied because an argument or the branch
 *     that contains it depends on something only a run of the script would know
 */
public record ScriptEffects(
    List<AlternativeRegistration> alternatives, List<Diversion> diversions,
    List<String> unreadable) {

  /** No effects. */
  public static final ScriptEffects NONE = new ScriptEffects(List.of(), List.of(), List.of());

  public ScriptEffects {
    alternatives = List.copyOf(alternatives);
    diversions = List.copyOf(diversions);
    unreadable = List.copyOf(unreadable);
  }
}
