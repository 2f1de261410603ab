package dev.debimage.core.assembly;

/**
 * One candidate for a link managed by update-alternatives, as a package's postinst registers it
 * with {@code update-alternatives --install link name path priority}.
 *
 * @param name the alternative's name, such as {@code java}
 * @param link the generic path, such as {@code /usr/bin/java}
 * @param path the candidate the link leads to, such as {@code /usr/lib/jvm/java-17-openjdk-amd64/bin/java}
 * @param priority the candidate's priority; in automatic mode the highest one wins
 */
public record AlternativeRegistration(String name, String link, String path, int priority) {

  public AlternativeRegistration {
    if (!link.startsWith("/") || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "alternative " + name + " needs absolute link and path, got " + link + " and " + path);
    }
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("invalid alternative name '" + name + "'");
    }
  }
}
