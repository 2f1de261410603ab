package dev.debimage.core.assembly;

import java.util.List;

/**
 * A group that the build adds to {@code /etc/group} and {@code /etc/gshadow}.
 *
 * @param name the group name, such as {@code app}
 * @param gid the numeric group ID
 * @param members the names of users that belong to the group besides those whose primary group
 *     it is. Each must be a user of the image.
 */
public record GroupAccount(String name, long gid, List<String> members) {

  public GroupAccount {
    UserAccount.checkName(name, "group");
    UserAccount.checkId(gid, "GID of group " + name);
    members = List.copyOf(members);
    for (String member : members) {
      UserAccount.checkName(member, "member of group " + name + ": user");
    }
  }
}
