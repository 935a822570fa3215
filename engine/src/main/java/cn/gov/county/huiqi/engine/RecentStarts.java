package cn.gov.county.huiqi.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The starts a person made in the last minute, by content: a second identical start (a double click in
 * Tasklist's start dialog, a client that retried after a timeout) is refused instead of opening a second
 * case (issue 9, item 0). Kept per engine node, bounded in size; the application number drawn once per
 * case in {@code prepare_acceptance} stays the lasting guard.
 */
final class RecentStarts {

  private static final int MAX_ENTRIES = 10_000;

  private final Duration window;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  RecentStarts(Duration window) {
    this.window = window;
  }

  /** Whether this start (who, where, what) is the first within the window; remembers it. */
  boolean firstTime(String who, byte[] body) {
    long now = System.nanoTime();
    if (seen.size() > MAX_ENTRIES) {
      seen.entrySet().removeIf(entry -> now - entry.getValue() > window.toNanos());
      if (seen.size() > MAX_ENTRIES) {
        seen.clear();
      }
    }
    String key = digest(who, body);
    Long before = seen.put(key, now);
    return before == null || now - before > window.toNanos();
  }

  private static String digest(String who, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(who.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
