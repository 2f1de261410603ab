package dev.debimage.core.report;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the license short names of Debian copyright files to SPDX license identifiers. Names with no
 * SPDX identifier become {@code LicenseRef-} references, which an SPDX document must define.
 */
final class SpdxLicenses {

  // GPL-2, GPL-2+, LGPL-2.1+, AGPL-3, GFDL-1.3+: Debian writes "+" for "or any later version".
  private static final Pattern GNU_LICENSE =
      Pattern.compile("(?i)(A?GPL|LGPL|GFDL)-?([1-3])(?:\\.(\\d))?(\\+)?");

  // Debian short names (copyright-format 1.0, "License specification") that differ from SPDX's.
  private static final Map<String, String> DEBIAN_NAMES = caseInsensitive(Map.ofEntries(
      Map.entry("Artistic", "Artistic-1.0"),
      Map.entry("BSD-2-clause", "BSD-2-Clause"),
      Map.entry("BSD-3-clause", "BSD-3-Clause"),
      Map.entry("BSD-4-clause", "BSD-4-Clause"),
      Map.entry("Expat", "MIT"),
      Map.entry("MPL-1.1", "MPL-1.1"),
      Map.entry("MPL-2.0", "MPL-2.0"),
      Map.entry("Zope-2.1", "ZPL-2.1"),
      Map.entry("Python-2.0", "Python-2.0"),
      Map.entry("CC0", "CC0-1.0")));

  // SPDX License List identifiers common in Debian copyright files; a name found here is used as is.
  private static final Set<String> SPDX_IDS = Set.of(
      "0BSD", "AFL-2.1", "Apache-1.0", "Apache-1.1", "Apache-2.0", "Artistic-1.0", "Artistic-1.0-Perl",
      "Artistic-2.0", "Beerware", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause",
      "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0",
      "CDDL-1.0", "CPL-1.0", "curl", "EPL-1.0", "EPL-2.0", "FSFAP", "FSFUL", "FSFULLR", "FTL",
      "HPND", "ICU", "IJG", "ISC", "LGPL-2.0-only", "Libpng",
      "libpng-2.0", "LPPL-1.3c", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "NCSA", "OFL-1.1", "OpenSSL",
      "PHP-3.01", "PSF-2.0", "Python-2.0", "Ruby", "SGI-B-2.0", "Sleepycat", "TCL", "Unicode-DFS-2016",
      "Unicode-3.0", "Unlicense", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.1");

  private static final Map<String, String> SPDX_IDS_BY_LOWER_CASE = lowerCaseIndex();

  private SpdxLicenses() {}

  /** Returns the SPDX License List identifier for a Debian short name, empty when it has none. */
  static Optional<String> spdxId(String debianName) {
    String name = debianName.strip();
    Matcher gnu = GNU_LICENSE.matcher(name);
    if (gnu.matches()) {
      return Optional.of(gnuId(gnu));
    }
    String mapped = DEBIAN_NAMES.get(name);
    if (mapped != null) {
      return Optional.of(mapped);
    }
    return Optional.ofNullable(SPDX_IDS_BY_LOWER_CASE.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Returns the SPDX identifier, or a {@code LicenseRef-} reference built from the Debian name. */
  static String spdxReference(String debianName) {
    return spdxId(debianName).orElseGet(() -> licenseRef(debianName));
  }

  /**
   * Returns {@code LicenseRef-} and the name, with {@code +} spelled {@code plus} and every other
   * character that SPDX does not allow replaced by {@code -}.
   */
  static String licenseRef(String debianName) {
    return "LicenseRef-" + debianName.strip().replace("+", "plus").replaceAll("[^A-Za-z0-9.-]", "-");
  }

  private static String gnuId(Matcher gnu) {
    String family = gnu.group(1).toUpperCase(Locale.ROOT);
    String major = gnu.group(2);
    String minor = gnu.group(3) != null ? gnu.group(3) : "0";
    String suffix = gnu.group(4) != null ? "-or-later" : "-only";
    return family + "-" + major + "." + minor + suffix;
  }

  private static Map<String, String> caseInsensitive(Map<String, String> names) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    map.putAll(names);
    return map;
  }

  private static Map<String, String> lowerCaseIndex() {
    Map<String, String> index = new TreeMap<>();
    SPDX_IDS.forEach(id -> index.put(id.toLowerCase(Locale.ROOT), id));
    return index;
  }
}
