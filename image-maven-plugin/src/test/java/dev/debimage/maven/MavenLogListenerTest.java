package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debimage.core.BuildListener.DownloadProgress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class MavenLogListenerTest {

  /** Records info and debug lines instead of printing them. */
  private static final class RecordingLog extends SystemStreamLog {
    final List<String> info = new ArrayList<>();
    final List<String> debug = new ArrayList<>();

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public void info(CharSequence content) {
      info.add(content.toString());
    }

    @Override
    public void debug(CharSequence content) {
      debug.add(content.toString());
    }
  }

  @Test
  void downloadsLogInfoEveryTenFiles() {
    RecordingLog log = new RecordingLog();
    MavenLogListener listener = new MavenLogListener(log);

    for (int i = 1; i <= 23; i++) {
      listener.downloaded(new DownloadProgress(
          URI.create("http://127.0.0.1/pool/p" + i + ".deb"), 1 << 20, i, 23, i * (1L << 20), 23L << 20));
    }

    assertEquals(23, log.debug.size());
    assertEquals("Downloaded http://127.0.0.1/pool/p1.deb (1.0 MiB)", log.debug.get(0));
    assertEquals(
        List.of(
            "Downloaded 10 of 23 packages (10.0 MiB of 23.0 MiB)",
            "Downloaded 20 of 23 packages (20.0 MiB of 23.0 MiB)",
            "Downloaded 23 of 23 packages (23.0 MiB of 23.0 MiB)"),
        log.info);
  }
}
