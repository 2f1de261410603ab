package dev.debimage.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DistributionTest {

  @Test
  void lockedDebianSuiteDropsSuffix() {
    Distribution distribution =
        Distribution.ofLockedSuite("bookworm-security", URI.create("http://mirror.invalid/debian-security"));

    assertEquals("debian", distribution.namespace());
    assertEquals("bookworm", distribution.distro());
  }

  @Test
  void lockedUbuntuArchiveGivesUbuntu() {
    Distribution distribution =
        Distribution.ofLockedSuite("noble-updates", URI.create("http://mirror.invalid/ubuntu-ports"));

    assertEquals("ubuntu", distribution.namespace());
    assertEquals("noble", distribution.distro());
  }
}
