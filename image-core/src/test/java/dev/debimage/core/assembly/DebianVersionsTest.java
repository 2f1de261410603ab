package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebianVersionsTest {

  @ParameterizedTest
  @CsvSource({
      "1.0, 1.0, 0",
      "1.0, 1.1, -1",
      "1.10, 1.9, 1",
      "1:0.1, 2.0, 1",
      "1.0~rc1, 1.0, -1",
      "1.0, 1.0+b1, -1",
      "1.0-1, 1.0-2, -1",
      "2.36-9+deb12u4, 2.36-9+deb12u10, -1",
      "1.0a, 1.0, 1",
      "1.0a, 1.0.1, -1",
      "1.0+, 1.0a, 1",
      "1.0.a, 1.0a, 1",
      "01.0, 1.0, 0",
      "1.0~~, 1.0~, -1",
      "17.0.15+6-1~deb12u1, 17.0.15+6-1, -1"
  })
  void comparesLikeDpkg(String a, String b, int expected) {
    assertEquals(expected, Integer.signum(DebianVersions.compare(a, b)), a + " vs " + b);
    assertEquals(-expected, Integer.signum(DebianVersions.compare(b, a)), b + " vs " + a);
  }
}
