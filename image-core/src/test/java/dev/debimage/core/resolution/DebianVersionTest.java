package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebianVersionTest {

  private static int compare(String a, String b) {
    return Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
  }

  @Test
  void orderingEdgeCases() {
    String[][] lessThan = {
      {"1.0~rc1", "1.0"},
      {"1.0~~", "1.0~"},
      {"1.0~~a", "1.0~"},
      {"1.0~", "1.0"},
      {"1.0", "1.0+b1"},
      {"1.0", "1.0.1"},
      {"1.0", "1.0a"},
      {"1.0a", "1.0."},
      {"1.0a", "1.0+"},
      {"1.0Z", "1.0a"},
      {"1.0-1", "1.0-2"},
      {"1.0-9", "1.0-10"},
      {"1.0-1~bpo1", "1.0-1"},
      {"2.0", "1:0.1"},
      {"9:1", "10:0"},
      {"1.9", "1.10"},
      {"1.099", "1.100"},
      {"1.99999999999999999999999", "1.100000000000000000000000"},
      {"1.18446744073709551615", "1.18446744073709551616"},
      {"1.0", "1.0-0.1"},
      {"7.88.1-10+deb12u4", "7.88.1-10+deb12u5"},
      {"2.36-9+deb12u4", "2.36-9+deb12u10"},
    };
    for (String[] pair : lessThan) {
      assertEquals(-1, compare(pair[0], pair[1]), pair[0] + " < " + pair[1]);
      assertEquals(1, compare(pair[1], pair[0]), pair[1] + " > " + pair[0]);
    }
  }

  @Test
  void equalVersionsShareHashCode() {
    List<String> equal = List.of("1.0", "0:1.0", "1.00", "1.0-0", "00:1.0-00", "01.0");
    DebianVersion first = DebianVersion.parse(equal.get(0));
    for (String text : equal) {
      DebianVersion version = DebianVersion.parse(text);
      assertEquals(0, first.compareTo(version), text);
      assertEquals(first, version, text);
      assertEquals(first.hashCode(), version.hashCode(), text);
    }
    assertNotEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1.0~"));
    assertNotEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1.0.0"));
    assertNotEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1:1.0"));
  }

  @Test
  void toStringKeepsOriginalText() {
    assertEquals("0:1.0-00", DebianVersion.parse("0:1.0-00").toString());
    assertEquals("1.0", DebianVersion.parse(" 1.0 ").toString());
  }

  @Test
  void partsSplitAtColonAndLastHyphen() {
    DebianVersion version = DebianVersion.parse("2:1.2-3-4+b1");
    assertEquals(2, version.epoch());
    assertEquals("1.2-3", version.upstream());
    assertEquals("4+b1", version.revision());
    assertEquals("", DebianVersion.parse("1.2").revision());
  }

  @Test
  void acceptsUpstreamNotStartingWithDigit() {
    // Debian Policy only recommends a leading digit ("should"), and dpkg only warns.
    assertEquals(-1, compare("a1", "b1"));
  }

  @Test
  void invalidVersionsAreRejected() {
    String[][] cases = {
      {"", "empty"},
      {"   ", "empty"},
      {"1.0 1", "whitespace"},
      {":1.0", "epoch"},
      {"a:1.0", "epoch"},
      {"-1:1.0", "epoch"},
      {"2147483648:1.0", "larger than 2147483647"},
      {"1:", "nothing follows the epoch"},
      {"1.0-", "revision"},
      {"-1", "upstream version is empty"},
      {"1:-1", "upstream version is empty"},
      {"1.0_1", "'_'"},
      {"1:2:3", "':'"},
      {"1.0-1:2", "epoch"},
      {"1.0-1_2", "revision"},
    };
    for (String[] testCase : cases) {
      ImageBuildException error =
          assertThrows(ImageBuildException.class, () -> DebianVersion.parse(testCase[0]), testCase[0]);
      assertTrue(
          error.getMessage().contains("'" + testCase[0] + "'"),
          "message names the version: " + error.getMessage());
      assertTrue(
          error.getMessage().contains(testCase[1]),
          "message for '" + testCase[0] + "' mentions " + testCase[1] + ": " + error.getMessage());
    }
    assertEquals(Integer.MAX_VALUE, DebianVersion.parse("2147483647:1").epoch());
    assertThrows(ImageBuildException.class, () -> DebianVersion.parse(null));
  }
}
