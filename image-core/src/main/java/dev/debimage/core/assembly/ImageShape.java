package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The accounts and paths a project adds to the assembled tree, as apko's {@code accounts} and
 * {@code paths} offer them.
 *
 * @param users users added after the packages' own and {@code nonroot}
 * @param groups groups added after the packages' own and {@code nonroot}
 * @param paths changes applied in order after everything else is assembled
 */
public record ImageShape(
    List<UserAccount> users, List<GroupAccount> groups, List<PathDirective> paths) {

  /** No added accounts and no path changes. */
  public static final ImageShape NONE = new ImageShape(List.of(), List.of(), List.of());

  public ImageShape {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    paths = List.copyOf(paths);
    Set<String> names = new HashSet<>();
    for (UserAccount user : users) {
      if (!names.add(user.name())) {
        throw new ImageBuildException("user " + user.name() + " is listed twice; keep one");
      }
    }
    names.clear();
    for (GroupAccount group : groups) {
      if (!names.add(group.name())) {
        throw new ImageBuildException("group " + group.name() + " is listed twice; keep one");
      }
    }
  }

  /** Returns the settings as text for the layer cache key. */
  public String settingsKey() {
    StringBuilder key = new StringBuilder();
    users.forEach(user -> key.append(user).append('\n'));
    groups.forEach(group -> key.append(group).append('\n'));
    paths.forEach(path -> key.append(path.describe()).append('\n'));
    return key.toString();
  }
}
