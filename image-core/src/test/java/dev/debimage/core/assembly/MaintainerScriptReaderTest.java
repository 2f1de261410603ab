package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintainerScriptReaderTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  private static FileTree treeWith(String... files) {
    FileTree tree = new FileTree(TIME);
    for (String file : files) {
      tree.addGeneratedFile(file, "x".getBytes(StandardCharsets.UTF_8), 0755, 0, 0, TIME);
    }
    return tree;
  }

  private static ScriptEffects postinst(String script, FileTree tree) {
    return MaintainerScriptReader.read("pkg", "amd64", "postinst", script, tree);
  }

  @Test
  void continuationsAndVariablesExpanded() {
    ScriptEffects effects = postinst("#!/bin/sh\n"
        + "prio=50   # the priority\n"
        + "dir=\"/usr/lib/pkg\"\n"
        + "update-alternatives --quiet --install /usr/bin/pager pager \\\n"
        + "    \"${dir}/more\" $prio \\\n"
        + "    --slave /usr/share/man/man1/pager.1.gz pager.1.gz ${dir:-/x}/more.1.gz || true\n",
        treeWith());

    assertEquals(List.of(new AlternativeRegistration("pager", "/usr/bin/pager",
        "/usr/lib/pkg/more", 50, List.of(new AlternativeRegistration.Slave("pager.1.gz",
            "/usr/share/man/man1/pager.1.gz", "/usr/lib/pkg/more.1.gz")))),
        effects.alternatives());
    assertEquals(List.of(), effects.unreadable());
  }

  @Test
  void functionsCaseAndLoopsEvaluated() {
    ScriptEffects effects = postinst("#!/bin/sh\n"
        + "ua() {\n"
        + "  update-alternatives --install /usr/bin/$1 $1 /usr/lib/tools/$1 $2\n"
        + "}\n"
        + "case \"$1\" in\n"
        + "  configure|abort-upgrade)\n"
        + "    for t in one two; do ua $t 7; done\n"
        + "    ;;\n"
        + "  *) ua never 1 ;;\n"
        + "esac\n", treeWith());

    assertEquals(List.of(
        new AlternativeRegistration("one", "/usr/bin/one", "/usr/lib/tools/one", 7),
        new AlternativeRegistration("two", "/usr/bin/two", "/usr/lib/tools/two", 7)),
        effects.alternatives());
  }

  @Test
  void fileTestsLookAtTree() {
    String script = "#!/bin/sh\n"
        + "if [ -x /usr/lib/a/tool ]; then\n"
        + "  update-alternatives --install /usr/bin/tool tool /usr/lib/a/tool 10\n"
        + "elif [ -e /usr/lib/b/tool ]; then\n"
        + "  update-alternatives --install /usr/bin/tool tool /usr/lib/b/tool 10\n"
        + "fi\n"
        + "if false && [ -e /usr/lib/a/tool ]; then\n"
        + "  update-alternatives --install /usr/bin/off off /usr/lib/a/tool 1\n"
        + "fi\n";

    assertEquals("/usr/lib/a/tool",
        postinst(script, treeWith("usr/lib/a/tool")).alternatives().get(0).path());
    assertEquals("/usr/lib/b/tool",
        postinst(script, treeWith("usr/lib/b/tool")).alternatives().get(0).path());
    assertEquals(List.of(), postinst(script, treeWith()).alternatives());
  }

  @Test
  void undecidableBranchReported() {
    ScriptEffects effects = postinst("#!/bin/sh\n"
        + "if which foo >/dev/null 2>&1; then\n"
        + "  update-alternatives --install /usr/bin/foo foo /usr/lib/foo 1\n"
        + "fi\n"
        + "dpkg --compare-versions \"$2\" lt 1.0 && update-alternatives --install /usr/bin/bar"
        + " bar /usr/lib/bar 1\n"
        + "update-alternatives --install /usr/bin/baz baz `pwd`/baz 1\n"
        + "update-alternatives --query foo | grep -q Value\n"
        + "while read line; do update-alternatives --install /a a /b 1; done < /etc/list\n",
        treeWith());

    assertEquals(List.of(), effects.alternatives());
    assertEquals(4, effects.unreadable().size(), effects.unreadable().toString());
    assertTrue(effects.unreadable().get(0).contains("/usr/bin/foo"));
    assertTrue(effects.unreadable().get(0).contains("if condition"));
    assertTrue(effects.unreadable().get(1).contains("/usr/bin/bar"));
    assertTrue(effects.unreadable().get(2).contains("/usr/bin/baz"));
    assertTrue(effects.unreadable().get(3).contains("while"));
  }

  @Test
  void exitStopsReading() {
    ScriptEffects effects = postinst("#!/bin/sh\n"
        + "[ \"$1\" = configure ] || exit 0\n"
        + "update-alternatives --install /usr/bin/a a /usr/lib/a 1\n"
        + "exit 0\n"
        + "update-alternatives --install /usr/bin/b b /usr/lib/b 1\n", treeWith());

    assertEquals(1, effects.alternatives().size());
    assertEquals("a", effects.alternatives().get(0).name());
  }

  @Test
  void hereDocumentSkipped() {
    ScriptEffects effects = postinst("#!/bin/sh\n"
        + "cat > /etc/x <<'EOF'\n"
        + "update-alternatives --install /usr/bin/doc doc /doc 1\n"
        + "EOF\n"
        + "update-alternatives --install /usr/bin/a a /usr/lib/a 1\n", treeWith());

    assertEquals(List.of("a"),
        effects.alternatives().stream().map(AlternativeRegistration::name).toList());
  }

  @Test
  void diversionsRead() {
    ScriptEffects effects = MaintainerScriptReader.read("diverter", "amd64", "preinst",
        "#!/bin/sh\nset -e\n"
            + "if [ \"$1\" = install ]; then\n"
            + "  dpkg-divert --package diverter --add --rename \\\n"
            + "    --divert /usr/bin/tool.real /usr/bin/tool\n"
            + "  dpkg-divert --add /etc/config\n"
            + "  dpkg-divert --local --divert=/etc/other.orig --add /etc/other\n"
            + "fi\n", treeWith());

    assertEquals(List.of(
        new Diversion("/usr/bin/tool", "/usr/bin/tool.real", "diverter", true),
        new Diversion("/etc/config", "/etc/config.distrib", "diverter", false),
        new Diversion("/etc/other", "/etc/other.orig", null, false)), effects.diversions());
  }

  @Test
  void syntaxErrorReported() {
    ScriptEffects effects = postinst("#!/bin/sh\nif [ -e /x ]; then\n"
        + "update-alternatives --install /a a /b 1\n", treeWith());

    assertEquals(List.of(), effects.alternatives());
    assertEquals(1, effects.unreadable().size());
    assertTrue(effects.unreadable().get(0).contains("could not be parsed"));
  }
}
