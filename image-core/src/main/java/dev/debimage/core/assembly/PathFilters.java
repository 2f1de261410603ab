package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.List;

/**
 * dpkg's {@code --path-exclude} and {@code --path-include} filters (dpkg 1.15.8 and later): an
 * ordered list of glob rules matched against each package member as {@code /path}, where the
 * last matching rule decides and {@code *} and {@code ?} also match {@code /}. An excluded
 * directory or symbolic link is kept when an include rule could match something below it, as
 * dpkg keeps it, so that the included files have their parents.
 *
 * @param rules the rules in the order they apply
 */
public record PathFilters(List<Rule> rules) {

  /** No filtering: every member is unpacked. */
  public static final PathFilters NONE = new PathFilters(List.of());

  /**
   * The filters for application images: documentation, manual pages, info pages, translations
   * and lintian overrides are dropped, and each package's {@code copyright} file and
   * {@code locale.alias} are kept.
   */
  public static final List<String> APPLICATION_DEFAULT_LINES = List.of(
      "path-exclude=/usr/share/doc/*",
      "path-include=/usr/share/doc/*/copyright",
      "path-exclude=/usr/share/man/*",
      "path-exclude=/usr/share/info/*",
      "path-exclude=/usr/share/locale/*",
      "path-include=/usr/share/locale/locale.alias",
      "path-exclude=/usr/share/lintian/*");

  /** {@link #APPLICATION_DEFAULT_LINES} as filters. */
  public static final PathFilters APPLICATION_DEFAULT = parse(APPLICATION_DEFAULT_LINES);

  /**
   * One filter rule.
   *
   * @param include whether a match re-includes the path ({@code path-include}) rather than
   *     excluding it ({@code path-exclude})
   * @param pattern the glob pattern, starting with {@code /}
   */
  public record Rule(boolean include, String pattern) {}

  public PathFilters {
    rules = List.copyOf(rules);
  }

  /**
   * Parses rules in the syntax of dpkg's configuration files: {@code path-exclude=GLOB} or
   * {@code path-include=GLOB}, one per element.
   *
   * @throws ImageBuildException when an element has another form or the glob is not absolute
   */
  public static PathFilters parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines) {
      String text = line == null ? "" : line.strip();
      boolean include = text.startsWith("path-include=");
      if (!include && !text.startsWith("path-exclude=")) {
        throw new ImageBuildException(
            "invalid path filter '" + line + "': expected path-exclude=GLOB or path-include=GLOB,"
                + " for example path-exclude=/usr/share/doc/*");
      }
      String pattern = text.substring(text.indexOf('=') + 1);
      if (!pattern.startsWith("/")) {
        throw new ImageBuildException(
            "invalid path filter '" + line + "': the glob must start with /, as in"
                + " path-exclude=/usr/share/man/*");
      }
      rules.add(new Rule(include, pattern));
    }
    return new PathFilters(rules);
  }

  /** Returns whether no rule is set. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Returns whether dpkg would skip a member.
   *
   * @param path the member as {@code /path}, without a trailing slash
   * @param directoryOrSymlink whether the member is a directory or a symbolic link
   */
  public boolean excludes(String path, boolean directoryOrSymlink) {
    boolean skip = false;
    for (Rule rule : rules) {
      if (Glob.matches(rule.pattern(), path)) {
        skip = !rule.include();
      }
    }
    if (skip && directoryOrSymlink) {
      for (Rule rule : rules) {
        if (!rule.include()) {
          continue;
        }
        // dpkg compares the path with the include pattern up to its first wildcard.
        // NOTE: dpkg 1.21 compares the whole literal prefix, so it drops a directory shorter than
        // the prefix, such as /usr/share for path-exclude=/usr/* and
        // path-include=/usr/share/doc/*/copyright, and then fails to unpack the file below it.
        // Here such a directory is kept.
        int literalPrefix = firstWildcard(rule.pattern());
        int length = Math.min(path.length(), literalPrefix);
        if (path.regionMatches(0, rule.pattern(), 0, length)) {
          return false;
        }
      }
    }
    return skip;
  }

  /** Returns the rules as lines of a dpkg configuration file, each ending in a newline. */
  public String toDpkgConfig() {
    StringBuilder text = new StringBuilder();
    for (Rule rule : rules) {
      text.append(rule.include() ? "path-include=" : "path-exclude=").append(rule.pattern())
          .append('\n');
    }
    return text.toString();
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      if ("*?[\\".indexOf(pattern.charAt(i)) >= 0) {
        return i;
      }
    }
    return pattern.length();
  }
}
