package dev.debimage.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyrightFileTest {

  private static CopyrightFile parse(String text) {
    return CopyrightFile.parse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  @Test
  void freeFormFileHasNoLicenses() {
    assertTrue(CopyrightFile.parse("This package was debianized by someone.\n\nLicense: GPL\n"
        .getBytes(StandardCharsets.UTF_8)).isEmpty());
  }

  @Test
  void lenientFormatLineAndFieldCase() {
    CopyrightFile file = parse("Format: http://www.debian.org/doc/packaging-manuals/copyright-format/1.0\n"
        + "\nFiles: *\nCopyright: x\nlicense: LGPL-2.1+, and BSD-3-clause\n");
    assertEquals(List.of("BSD-3-clause", "LGPL-2.1+"), file.licenseNames());
  }

  @Test
  void exceptionStaysPartOfTheName() {
    CopyrightFile file = parse("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        + "\nFiles: *\nCopyright: x\nLicense: GPL-2+ with OpenSSL exception or MIT\n");
    assertEquals(List.of("GPL-2+ with OpenSSL exception", "MIT"), file.licenseNames());
  }

  @Test
  void standaloneParagraphGivesText() {
    CopyrightFile file = parse("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        + "\nFiles: *\nCopyright: x\nLicense: Custom\n\nLicense: Custom\n Permission is granted.\n .\n Really.\n");
    assertEquals(List.of("Custom"), file.licenseNames());
    assertEquals("Permission is granted.\n\nReally.", file.licenseTexts().get("Custom"));
  }

  @Test
  void spdxIdentifiers() {
    assertEquals("GPL-2.0-only", SpdxLicenses.spdxReference("GPL-2"));
    assertEquals("GPL-3.0-or-later", SpdxLicenses.spdxReference("GPL-3+"));
    assertEquals("LGPL-2.1-or-later", SpdxLicenses.spdxReference("LGPL-2.1+"));
    assertEquals("LGPL-2.0-only", SpdxLicenses.spdxReference("LGPL-2"));
    assertEquals("GFDL-1.3-or-later", SpdxLicenses.spdxReference("GFDL-1.3+"));
    assertEquals("MIT", SpdxLicenses.spdxReference("Expat"));
    assertEquals("BSD-3-Clause", SpdxLicenses.spdxReference("BSD-3-clause"));
    assertEquals("Zlib", SpdxLicenses.spdxReference("zlib"));
    assertEquals("LicenseRef-GPL-2plus-with-OpenSSL-exception", SpdxLicenses.spdxReference("GPL-2+ with OpenSSL exception"));
    assertEquals("LicenseRef-public-domain", SpdxLicenses.spdxReference("public-domain"));
    assertEquals("LicenseRef-GPL", SpdxLicenses.spdxReference("GPL"));
  }
}
