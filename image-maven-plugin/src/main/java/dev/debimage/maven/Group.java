package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.GroupAccount;
import java.util.ArrayList;
import java.util.List;

/** A {@code <group>} of the pom's {@code <groups>}: a group added to the image. */
public class Group {

  /** The group name. */
  private String name;

  /** The numeric group ID. */
  private Long gid;

  /** Users that belong to the group besides those whose primary group it is. */
  private List<String> members = new ArrayList<>();

  public void setName(String name) {
    this.name = name;
  }

  public void setGid(Long gid) {
    this.gid = gid;
  }

  public void setMembers(List<String> members) {
    this.members = members;
  }

  /** Returns the group as image-core takes it; a missing name or GID is an error. */
  GroupAccount toGroupAccount() {
    if (name == null || name.isBlank()) {
      throw new ImageBuildException("a <group> has no <name>: name every group");
    }
    if (gid == null) {
      throw new ImageBuildException("group " + name + " has no <gid>: set its numeric group ID");
    }
    List<String> names = members == null ? List.of()
        : members.stream().filter(member -> !member.isBlank()).map(String::strip).toList();
    return new GroupAccount(name.strip(), gid, names);
  }
}
