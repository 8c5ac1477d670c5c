package io.github.pan4j.driver.common123.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.Failures;

/** Failures whose outcome at 123 is unknown, worded the same way by every 123 driver. Not public API. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * Whether {@code e} is 123's own refusal of a write for want of space (a text of 空间不足 or 容量,
   * mapped to QUOTA_EXCEEDED with 123's code), not a quota of downloads, which has no write to undo.
   */
  public static boolean spaceFull(DriveException e) {
    return e.kind() == ErrorKind.QUOTA_EXCEEDED && e.providerCode().isPresent();
  }

  /**
   * A write refused because the account's space is full (an upload, a copy), in the words every
   * 123 driver uses: how full it is when the driver could read it ({@code used} of {@code total}
   * bytes; {@code used < 0} or {@code total <= 0}: unknown, said without figures), with {@code needs}
   * (e.g. "this file needs 2000"; null when the size is not known), what to free, then {@code after}
   * (what to do next and what was left undone). Keeps 123's code, text and trace id; not retryable.
   */
  public static DriveException spaceFull(String driverId, DriveException refused, String operation, String target,
      long used, long total, String needs, String after) {
    String figures = used >= 0 && total > 0 ? ": " + used + " of " + total + " bytes used" + (needs == null ? "" : ", " + needs) : "";
    return DriveException.builder(ErrorKind.QUOTA_EXCEEDED, "the account's space is full" + figures
            + "; free space (delete files and empty the recycle bin, whose files count too) or get more space, then "
            + after)
        .driver(driverId).operation(operation).target(target).providerCode(refused.providerCode().orElse(null))
        .providerMessage(refused.providerMessage().orElse(null)).traceId(refused.traceId().orElse(null)).retryable(false)
        .cause(refused).build();
  }

  /**
   * Whether a call that failed with {@code e} may still have reached 123 and taken effect, so that
   * a driver should look before reporting the failure of a write it sends once: its reply was
   * lost, cut or garbled, the connection dropped after the request left, or a gateway answered in
   * 123's place. Not a refusal, not throttling, not a cancel, and not a call that never left (see
   * {@link #neverSent}). The one rule every 123 driver uses for that question, and the engine's for
   * {@link DriveException#mayHaveTakenEffect()} on a write.
   */
  public static boolean unknown(DriveException e) {
    return Failures.outcomeUnknown(e);
  }

  /**
   * Whether a failure happened before the request could leave: no connection was made (refused,
   * or the host name did not resolve), so nothing reached 123 and a repeat cannot double it.
   */
  public static boolean neverSent(Throwable e) {
    return Failures.neverSent(e); // the engine's own rule for repeating such a call
  }

  /**
   * What to throw when the look after {@code e} (a write whose outcome is {@linkplain #unknown
   * unknown}) failed with {@code lookup}: the cancel, when the caller stopped the operation
   * meanwhile (an interrupt, the driver closed), with {@code e} attached; else {@code e} told again
   * (same kind, provider code and trace id, {@code e} as the cause, the look's failure attached):
   * the write may have taken effect and nobody could tell, so it says to look before trying again
   * and is not retryable as it stands (a plain retry could meet "already exists", "not found", or
   * make a second copy).
   */
  public static DriveException lookFailed(DriveException e, DriveException lookup) {
    DriveException cancel = cancelledMeanwhile(e, lookup);
    if (cancel != null) return cancel;
    DriveException told = restated(e, "").retryable(false).mayHaveTakenEffect("the request may have reached 123 and"
        + " taken effect, and looking whether it did failed too (" + lookup.reason() + "), so look before trying again")
        .build();
    told.addSuppressed(lookup);
    return told;
  }

  /**
   * When {@code later} (a repeat of the write that failed with {@code e}, or a look after it) is
   * a cancel, the caller stopped the operation meanwhile: that cancel is what to throw, told as a
   * failure of the write ({@code e}'s driver, operation and target, {@code e} attached) that says
   * the write may have taken effect, since {@code e}'s outcome was never settled. Otherwise null,
   * and the caller goes on.
   */
  public static DriveException cancelledMeanwhile(DriveException e, DriveException later) {
    if (later.kind() != ErrorKind.CANCELLED) return null;
    // The cancel's own words on what it may have done stay; else these say it of the request before.
    DriveException.Builder b = later.toBuilder()
        .driver(e.driverId().orElse(null)).operation(e.operation().orElse(null)).target(e.target().orElse(null))
        .providerFrom(e).retryAfter(null).retryable(false).cause(later);
    if (!later.mayHaveTakenEffect()) {
      b.mayHaveTakenEffect("the request before it may have reached 123 and taken effect, so look before trying again");
    }
    DriveException told = b.build();
    told.addSuppressed(e);
    return told;
  }

  /**
   * The failure of a call sent once (it is not idempotent) when it {@linkplain #unknown may have
   * taken effect}: says what may have happened ({@code effect}, e.g. "created the share") and what
   * to look at before trying again ({@code check}), instead of "retry later", and is not
   * retryable as it stands. Other failures are returned as they are, and so is one whose request
   * the engine knows was not sent whole ({@link DriveException#mayHaveTakenEffect()} false).
   */
  public static DriveException mayHaveTakenEffect(DriveException e, String effect, String check) {
    if (!unknown(e) || !e.mayHaveTakenEffect()) return e;
    return restated(e, "").retryable(false).mayHaveTakenEffect("the request may have reached 123 and " + effect
        + ", so " + check + " before trying again, or you may end up with two").build();
  }

  /**
   * Reads back what a write that went through made ({@code read}: the entry after a rename, the
   * stored file after an upload), asking once more when the read fails in a way a repeat may cure
   * (a lost, cut or garbled reply, a dropped connection, a gateway page: {@link #unknown}). The
   * read changes nothing, so repeating it is safe, and failing the write here would tell the
   * caller it did not happen although it did: a retry then meets "already exists" or "not found".
   * When the repeat fails too, the error says that {@code done} (e.g. "the rename") took effect;
   * so does a cancel of the read (an interrupt): CANCELLED, but not a write that did not happen.
   */
  public static <T> T readBack(java.util.function.Supplier<T> read, String done) {
    try {
      return read.get();
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.CANCELLED) throw readBackCancelled(e, done);
      if (!unknown(e)) throw e;
      try {
        return read.get();
      } catch (DriveException again) {
        if (again.kind() == ErrorKind.CANCELLED) {
          DriveException cancel = readBackCancelled(again, done);
          cancel.addSuppressed(e);
          throw cancel;
        }
        again.addSuppressed(e);
        throw restated(again, "").retryable(false).mayHaveTakenEffect(done + " took effect, only reading back its"
            + " result failed, so look at it instead of doing it again").build();
      }
    }
  }

  /** The cancel of the read after a write that went through: CANCELLED, saying the write took effect. */
  private static DriveException readBackCancelled(DriveException cancel, String done) {
    return restated(cancel, "").retryable(false).mayHaveTakenEffect(done + " took effect, only reading back its result"
        + " was cancelled, so look at it instead of doing it again").build();
  }

  /**
   * The failure {@code e} of a call on several entries whose outcome was {@linkplain #unknown
   * unknown}, told again once a look showed that it took effect on only some of them, or on none:
   * names the ids the look {@code confirmed} ({@code effect}, e.g. "in the trash") and those it did
   * not, and what to do ({@code then}, e.g. "removing them again is safe"). The look cannot tell a
   * request that never arrived from one still being carried out, so {@code e}'s kind, provider
   * code, trace id, retryability and {@linkplain DriveException#mayHaveTakenEffect() flag} are
   * kept.
   */
  public static DriveException notConfirmed(DriveException e, String effect, java.util.Collection<String> confirmed,
      java.util.Collection<String> unconfirmed, String then) {
    String seen = confirmed.isEmpty() ? "them not " + effect
        : confirmed.size() + " of the " + (confirmed.size() + unconfirmed.size()) + " entries " + effect + " "
            + ids(confirmed) + " but not the other " + unconfirmed.size();
    return restated(e, "; looking afterwards, 123 shows " + seen + " " + ids(unconfirmed) + ": the request may not"
        + " have reached 123, or may still be carried out; " + then).build();
  }

  /** Ids named in an error message, at most this many per list. */
  private static final int IDS_SHOWN = 20;

  /**
   * The failure {@code e} of a restore of {@code total} ids sent in several calls, told again with
   * what the calls before it did: which ids are back ({@code restored} in their folder,
   * {@code relocated} into the fallback folder), which stay in the trash ({@code left}), and, when
   * the failed call may have reached 123 ({@code unknown} non-empty), which ids may or may not be
   * back. Without it, a failure in a later call hides that earlier calls took entries out of the
   * trash. When nothing before {@code e} is known and nothing is in doubt beyond the failed call,
   * {@code e} is returned as it is. A restore is safe to repeat, so the error keeps {@code e}'s
   * retryability and says that a repeat tells where each entry is.
   */
  public static DriveException restorePartly(DriveException e, int total, java.util.List<String> restored,
      java.util.List<String> relocated, java.util.Collection<String> left, java.util.Collection<String> unknown) {
    return restorePartly(e, total, restored, relocated, left, unknown, java.util.List.of());
  }

  /**
   * As above, with {@code outOfTrash}: ids that left the trash in the failed step and whose place
   * {@code e} itself tells (restored, then not moved where asked); they are not counted among the
   * entries that were not restored.
   */
  public static DriveException restorePartly(DriveException e, int total, java.util.List<String> restored,
      java.util.List<String> relocated, java.util.Collection<String> left, java.util.Collection<String> unknown,
      java.util.Collection<String> outOfTrash) {
    int known = restored.size() + relocated.size() + left.size();
    if (known == 0) return e;
    StringBuilder more = new StringBuilder("; before this failure, ").append(known).append(" of the ").append(total)
        .append(" entries were dealt with (calls of at most 100): ");
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (!restored.isEmpty()) parts.add(restored.size() + " restored to their folders " + ids(restored));
    if (!relocated.isEmpty()) parts.add(relocated.size() + " restored into the folder to restore into " + ids(relocated));
    if (!left.isEmpty()) parts.add(left.size() + " left in the trash " + ids(left));
    more.append(String.join(", ", parts));
    if (!unknown.isEmpty()) {
      more.append("; the request for ").append(unknown.size()).append(" more ").append(ids(unknown))
          .append(" may have reached 123, so they may or may not be back");
    }
    if (!outOfTrash.isEmpty()) {
      more.append("; ").append(outOfTrash.size()).append(" more ").append(ids(outOfTrash))
          .append(" left the trash, as said before");
    }
    int rest = total - known - unknown.size() - outOfTrash.size();
    if (rest > 0) more.append("; the other ").append(rest).append(" were not restored");
    more.append("; restoring is safe to repeat: restore the same ids again to learn where each one is");
    boolean acted = !restored.isEmpty() || !relocated.isEmpty() || !unknown.isEmpty() || !outOfTrash.isEmpty();
    // The failure's own words on what its call may have done (e.g. an interrupt's) stay, at the end.
    return restated(e, more.toString()).mayHaveTakenEffect(e.mayHaveTakenEffect() || acted).build();
  }

  private static String ids(java.util.Collection<String> ids) {
    StringBuilder s = new StringBuilder("(ids ");
    int n = 0;
    for (String id : ids) {
      if (n == IDS_SHOWN) {
        s.append(", and ").append(ids.size() - n).append(" more");
        break;
      }
      if (n++ > 0) s.append(", ");
      s.append(id);
    }
    return s.append(')').toString();
  }

  /**
   * A builder for {@code e} told again with {@code more} after its reason (what else happened,
   * what to do): its kind, driver, operation, target, provider code and message, trace id,
   * retryability and {@linkplain DriveException#mayHaveTakenEffect() whether it may have taken
   * effect} with its words on that, and {@code e} as the cause. A layer that says more precisely
   * what may have happened gives its words with {@link DriveException.Builder#mayHaveTakenEffect(String)},
   * which take the place of the engine's general ones.
   */
  public static DriveException.Builder restated(DriveException e, String more) {
    return e.toBuilder().reason(e.reason() + more).cause(e);
  }
}
