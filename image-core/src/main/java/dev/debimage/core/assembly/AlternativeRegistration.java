package dev.debimage.core.assembly;

import java.util.List;

/**
 * One candidate for a link managed by update-alternatives, as a package's postinst registers it
 * with {@code update-alternatives --install link name path priority [--slave link name path]...}.
 *
 * @param name the alternative's name, such as {@code java}
 * @param link the generic path, such as {@code /usr/bin/java}
 * @param path the candidate the link leads to, such as {@code /usr/lib/jvm/java-17-openjdk-amd64/bin/java}
 * @param priority the candidate's priority; in automatic mode the highest one wins
 * @param slaves the follower links that go with this candidate, such as its manual page
 */
public record AlternativeRegistration(
    String name, String link, String path, int priority, List<Slave> slaves) {

  public AlternativeRegistration {
    checkNameAndPaths(name, link, path);
    slaves = List.copyOf(slaves);
  }

  /** Creates a registration without follower links. */
  public AlternativeRegistration(String name, String link, String path, int priority) {
    this(name, link, path, priority, List.of());
  }

  /**
   * A follower link ({@code --slave link name path}): it follows the master link to the
   * candidate's own file.
   *
   * @param name the follower's name, such as {@code java.1.gz}
   * @param link the generic path, such as {@code /usr/share/man/man1/java.1.gz}
   * @param path the candidate's file for it
   */
  public record Slave(String name, String link, String path) {

    public Slave {
      checkNameAndPaths(name, link, path);
    }
  }

  private static void checkNameAndPaths(String name, String link, String path) {
    if (name.isEmpty() || name.contains("/") || name.isBlank()) {
      throw new IllegalArgumentException("invalid alternative name '" + name + "'");
    }
    if (!link.startsWith("/") || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "alternative " + name + " needs absolute link and path, got " + link + " and " + path);
    }
  }
}
