package io.github.pan4j.driver.open123;

import io.github.pan4j.core.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entries this driver created (mkdir, upload, copy) that the server's listing may not show yet:
 * 123's list can lag behind writes (rclone saw it), while detail by id is current. A listing's
 * last page adds the ones it did not return, so what was written can be read back; an entry
 * leaves as soon as a listing returns it, when it is removed, or after {@link #HORIZON}.
 */
final class RecentWrites {
  /** How long a created entry is kept if no listing ever returns it. */
  static final Duration HORIZON = Duration.ofMinutes(2);

  private record Recent(Entry entry, Instant at) {}

  private final Clock clock;
  private final Map<String, Recent> byId = new LinkedHashMap<>();

  RecentWrites(Clock clock) {
    this.clock = clock;
  }

  synchronized void created(Entry e) {
    if (e != null && e.parentId() != null) byId.put(e.id(), new Recent(e, clock.instant()));
  }

  /** An entry changed (rename, move): keep it with its new state if it is still recent. */
  synchronized void changed(Entry e) {
    Recent r = byId.get(e.id());
    if (r != null) byId.put(e.id(), new Recent(e, r.at()));
  }

  synchronized boolean isRecent(String id) {
    return byId.containsKey(id);
  }

  synchronized void forget(String id) {
    byId.remove(id);
  }

  /** The listing returned these: the server has caught up with them. */
  synchronized void seen(List<Entry> listed) {
    for (Entry e : listed) {
      Recent r = byId.get(e.id());
      if (r != null && e.parentId() != null && e.parentId().equals(r.entry().parentId())) byId.remove(e.id());
    }
  }

  /** Recent entries of {@code parentId} (a listing's last page adds them). */
  synchronized List<Entry> missing(String parentId) {
    Instant floor = clock.instant().minus(HORIZON);
    List<Entry> out = new ArrayList<>();
    for (Iterator<Recent> it = byId.values().iterator(); it.hasNext(); ) {
      Recent r = it.next();
      if (r.at().isBefore(floor)) {
        it.remove();
      } else if (parentId.equals(r.entry().parentId())) {
        out.add(r.entry());
      }
    }
    return out;
  }
}
