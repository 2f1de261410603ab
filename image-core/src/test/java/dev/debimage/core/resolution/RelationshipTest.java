package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.resolution.PackageConstraint.Operator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelationshipTest {

  @Test
  void parsesGroupsAndAlternatives() {
    Relationship relationship =
        Relationship.parse(
            "libc6 (>= 2.36), libgcc-s1 (>= 3.0) | libgcc1,\n debconf (>= 0.5) | debconf-2.0");

    assertEquals(3, relationship.groups().size());
    PackageConstraint libc = relationship.groups().get(0).get(0);
    assertEquals("libc6", libc.name());
    assertNull(libc.archQualifier());
    assertEquals(Operator.GE, libc.operator());
    assertEquals(DebianVersion.parse("2.36"), libc.version());
    assertEquals(2, relationship.groups().get(1).size());
    assertEquals("libgcc1", relationship.groups().get(1).get(1).name());
    assertFalse(relationship.groups().get(1).get(1).isVersioned());
    assertEquals(
        "libc6 (>= 2.36), libgcc-s1 (>= 3.0) | libgcc1, debconf (>= 0.5) | debconf-2.0",
        relationship.toString());
  }

  @Test
  void readsEveryOperatorSpelling() {
    String[][] cases = {
      {"<<", "LT"}, {"<=", "LE"}, {"<", "LE"}, {"=", "EQ"}, {">=", "GE"}, {">", "GE"}, {">>", "GT"},
    };
    for (String[] testCase : cases) {
      PackageConstraint constraint =
          Relationship.parse("foo (" + testCase[0] + " 1.0)").groups().get(0).get(0);
      assertEquals(Operator.valueOf(testCase[1]), constraint.operator(), testCase[0]);
    }
    PackageConstraint compact = Relationship.parse("foo(>=1:2.0-1)").groups().get(0).get(0);
    assertEquals(Operator.GE, compact.operator());
    assertEquals("1:2.0-1", compact.version().toString());
  }

  @Test
  void readsArchitectureQualifiers() {
    Relationship relationship = Relationship.parse("python3:any (>= 3.11), perl:native, gcc:amd64");

    assertEquals("any", relationship.groups().get(0).get(0).archQualifier());
    assertEquals("python3", relationship.groups().get(0).get(0).name());
    assertEquals("native", relationship.groups().get(1).get(0).archQualifier());
    assertEquals("amd64", relationship.groups().get(2).get(0).archQualifier());
    assertEquals("python3:any (>= 3.11)", relationship.groups().get(0).get(0).toString());
  }

  @Test
  void architectureRestrictionsDropAlternatives() {
    String field = "foo [amd64], bar [!amd64], baz [linux-any] | qux [i386], os [any-amd64 arm64]";

    assertEquals("foo, baz, os", Relationship.parse(field, "amd64").toString());
    assertEquals("bar, baz | qux", Relationship.parse(field, "i386").toString());
    assertEquals("bar, os", Relationship.parse(field, "hurd-amd64").toString());
    assertEquals("bar, baz, os", Relationship.parse(field, "arm64").toString());
  }

  @Test
  void buildProfilesAreOffByDefault() {
    Relationship relationship =
        Relationship.parse(
            "foo <!nocheck>, bar <nocheck>, baz <!nocheck !cross> <stage1>, qux <stage1> <!stage2>,"
                + " old (>= 1) [amd64] <!nodoc>",
            "amd64");

    assertEquals("foo, baz, qux, old (>= 1)", relationship.toString());
  }

  @Test
  void emptyValueHasNoGroups() {
    assertTrue(Relationship.parse("").isEmpty());
    assertTrue(Relationship.parse(null).isEmpty());
    assertEquals("foo", Relationship.parse("foo, ").toString());
  }

  @Test
  void malformedFieldsAreRejected() {
    String[][] cases = {
      {"foo (>= )", "needs a version"},
      {"foo (~ 1.0)", "needs an operator"},
      {"foo (=> 1.0)", "'=>' is not a version relation"},
      {"foo (>= 1.0", "expected ')'"},
      {"foo || bar", "empty"},
      {"Foo", "lower case"},
      {"-foo", "must start with a letter or digit"}, {"(>= 1)", "missing package name"},
      {"foo [amd64", "no closing ']'"},
      {"foo [amd64 !i386]", "mixes"},
      {"foo <!nocheck", "no closing '>'"},
      {"foo bar", "unexpected 'bar'"},
      {"foo (>= 1.0_1)", "invalid Debian version '1.0_1'"},
    };
    for (String[] testCase : cases) {
      ImageBuildException error =
          assertThrows(
              ImageBuildException.class,
              () -> Relationship.parse(testCase[0], "amd64"),
              testCase[0]);
      assertTrue(
          error.getMessage().contains(testCase[1]),
          "message for '" + testCase[0] + "' mentions " + testCase[1] + ": " + error.getMessage());
    }
  }

  @Test
  void restrictionWithoutArchitectureIsRejected() {
    ImageBuildException error =
        assertThrows(ImageBuildException.class, () -> Relationship.parse("foo [amd64]"));

    assertTrue(error.getMessage().contains("Relationship.parse(value, architecture)"), error.getMessage());
  }

  @Test
  void satisfiedByComparesVersions() {
    PackageConstraint lessThan = Relationship.parse("foo (<< 2.0)").groups().get(0).get(0);
    PackageConstraint atMost = Relationship.parse("foo (<= 2.0)").groups().get(0).get(0);
    PackageConstraint exactly = Relationship.parse("foo (= 2.0)").groups().get(0).get(0);
    PackageConstraint atLeast = Relationship.parse("foo (>= 2.0)").groups().get(0).get(0);
    PackageConstraint greaterThan = Relationship.parse("foo (>> 2.0)").groups().get(0).get(0);

    for (String version : List.of("1.9", "2.0~rc1")) {
      assertTrue(lessThan.satisfiedBy(version), version);
      assertTrue(atMost.satisfiedBy(version), version);
      assertFalse(exactly.satisfiedBy(version), version);
      assertFalse(atLeast.satisfiedBy(version), version);
      assertFalse(greaterThan.satisfiedBy(version), version);
    }
    for (String version : List.of("2.0", "0:2.0-0")) {
      assertFalse(lessThan.satisfiedBy(version), version);
      assertTrue(atMost.satisfiedBy(version), version);
      assertTrue(exactly.satisfiedBy(version), version);
      assertTrue(atLeast.satisfiedBy(version), version);
      assertFalse(greaterThan.satisfiedBy(version), version);
    }
    assertFalse(lessThan.satisfiedBy("2.0+b1"));
    assertTrue(greaterThan.satisfiedBy("2.0+b1"));
    assertTrue(PackageConstraint.unversioned("foo").satisfiedBy("0.1"));
    assertThrows(ImageBuildException.class, () -> atLeast.satisfiedBy("not a version"));
  }
}
