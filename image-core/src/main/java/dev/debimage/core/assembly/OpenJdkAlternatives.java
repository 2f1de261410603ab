package dev.debimage.core.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the alternatives that Debian's and Ubuntu's OpenJDK packages register in their postinst:
 * every executable a {@code openjdk-N-jre-headless}, {@code -jre}, {@code -jdk-headless} or
 * {@code -jdk} package ships in {@code usr/lib/jvm/<jvm>/bin/} becomes {@code /usr/bin/<tool>}.
 *
 * <p>The priority is {@code N * 100 + 11}: openjdk-17's postinst uses 1711, openjdk-21's 2111.
 * NOTE: derived from those two packages; a release that picks another scheme needs a change here.
 */
public final class OpenJdkAlternatives {

  private static final Pattern PACKAGE =
      Pattern.compile("openjdk-(\\d+)-(jre-headless|jre|jdk-headless|jdk)");
  private static final Pattern JVM_TOOL = Pattern.compile("usr/lib/jvm/([^/]+)/bin/([^/]+)");

  private OpenJdkAlternatives() {}

  /** Returns one registration per executable that an installed OpenJDK package ships. */
  public static List<AlternativeRegistration> find(FileTree tree) {
    List<AlternativeRegistration> registrations = new ArrayList<>();
    for (FileEntry entry : tree.entries()) {
      if (entry.owner() == null) {
        continue;
      }
      Matcher packageMatch = PACKAGE.matcher(entry.owner());
      Matcher toolMatch = JVM_TOOL.matcher(entry.path());
      boolean executable = (entry.type() == EntryType.REGULAR || entry.type() == EntryType.HARDLINK)
          && (entry.mode() & 0111) != 0;
      if (!packageMatch.matches() || !toolMatch.matches() || !executable) {
        continue;
      }
      int priority = Integer.parseInt(packageMatch.group(1)) * 100 + 11;
      String tool = toolMatch.group(2);
      registrations.add(new AlternativeRegistration(
          tool, "/usr/bin/" + tool, "/" + entry.path(), priority));
    }
    return registrations;
  }
}
