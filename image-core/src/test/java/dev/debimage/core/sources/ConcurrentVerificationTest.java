package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Verifies Release files signed by a subkey on several threads with one shared keyring, as the
 * index loader does for the suites of one source. The subkey's binding signatures are objects of
 * that keyring, so every thread checks the same ones.
 */
class ConcurrentVerificationTest {

  private static final String TEXT = "Origin: Debian\nSuite: stable\nCodename: bookworm\n";

  @Test
  void sharedKeyringVerifiesOnManyThreads() throws Exception {
    TestKey key = TestKey.generateWithSigningSubkey("Subkey <subkey@example.org>", true);
    Keyring keyring = Keyring.parse(key.publicBinary(), "test keyring");
    byte[] signed = key.clearsign(TEXT);
    int threads = 4;
    int rounds = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        Callable<Integer> verifyRepeatedly = () -> {
          int verified = 0;
          for (int round = 0; round < rounds; round++) {
            String text = SignatureVerifier.verifyClearsigned(signed, keyring, "http://127.0.0.1/InRelease");
            verified += text.equals(TEXT) ? 1 : 0;
          }
          return verified;
        };
        results.add(pool.submit(verifyRepeatedly));
      }

      for (Future<Integer> result : results) {
        assertEquals(rounds, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
