package io.github.pan4j.testkit;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A seeded, model-based fault soak for a writing driver over the fake cloud: long random sequences
 * of operations through the {@link Drive} facade (mkdirs, put small and sliced files under each
 * conflict policy, rename, move, copy, copyAll, remove, get, list, share and shares, and trash /
 * restore / purge), with one fault from the fake's
 * {@link Fault} kinds armed before some steps on the Nth request of the operation (and now and then
 * a second one a few requests later). After every step
 * the tree in the fake's store (read directly, so no fault can touch it) is reconciled with a
 * model of what it should hold:
 *
 * <ul>
 *   <li>a step that succeeded must have had exactly its effect;
 *   <li>a step that failed must throw a {@link DriveException} carrying the driver id, operation
 *       and target, of a kind that fits the fault (never ALREADY_EXISTS or NOT_FOUND for a valid
 *       step: that is a retry meeting its own effect), and must leave the tree as it was or as the
 *       step would have left it, never in between;
 *   <li>a step that failed although its effect is there must say so
 *       ({@link DriveException#mayHaveTakenEffect()}), since the 123 drivers look before failing a
 *       write whose answer was lost;
 *   <li>a step that only reads (get, ls, trash ls, shares ls) never fails saying something may have
 *       taken effect (the flag is false);
 *   <li>a step with no fault fired must succeed (or fail with the kind an invalid step asks for);
 *   <li>a step that failed with a retryable error, or whose repeat is harmless by contract, is
 *       repeated with no fault: the repeat must succeed and leave what the step should have;
 *   <li>where the driver has the trash, the model holds it too (what remove and OVERWRITE put
 *       there, what restore and purge take out), and the trash listing must match it;
 *   <li>a step interrupted while one of its requests is held at the fake ({@link Builder#interrupts})
 *       fails with CANCELLED and keeps the interrupt flag, whether the request was carried out
 *       ({@link Fault#hold}) or never will be ({@link Fault#holdUnhandled}); a slow reply against a
 *       short read timeout ({@link Builder#slowReplies}) is one more fault, carried out and answered
 *       late ({@link Fault#slow}) or never carried out ({@link Fault#unanswered});
 *   <li>an interrupt may also strike while a download body is half sent ({@link Builder#bodyInterrupts})
 *       or while a request of file bytes is half written ({@link Builder#sliceInterrupts}); such a
 *       put must leave the tree as it was and not flag that anything may have taken effect;
 *   <li>a step may run on a second drive with a short call deadline ({@link Builder#deadlineDrive}),
 *       where the deadline running out is one more fault;
 *   <li>a step that failed and left the tree as it was never claims the write took effect;
 *   <li>a share makes exactly one share in the fake's store when it succeeds, at most one (and
 *       flags that it may have) when it fails, still one after the caller's repeat; no other step makes one;
 *       its expiry is the one asked for and the one returned, and {@code shares ls} lists every
 *       share with the time it closes, also after days have passed on the clock;
 *   <li>no folder ever holds two live entries of one name.
 * </ul>
 *
 * The model is then set to what the store holds and the next step runs. A failure message names
 * the seed and lists every step so far, so {@code -Dpan4j.soak.seed=S} replays it. See
 * docs/testing.md.
 */
public final class FaultSoak {
  /** A fault the soak may arm, by name. */
  public record FaultKind(String name, Supplier<Fault> make) {}

  /** An entry of the tree: a folder, or a file with its size and MD5. */
  record Item(boolean folder, long size, String md5) {
    static final Item FOLDER = new Item(true, 0, "");

    @Override
    public String toString() {
      return folder ? "dir" : size + "B " + md5.substring(0, 8);
    }
  }

  /** The fault kinds every 123 front door can serve: gateway pages, 5xx, cut and lost replies. */
  public static List<FaultKind> standardFaults() {
    return List.of(
        new FaultKind("html502", () -> Fault.html(502)),
        new FaultKind("html503", () -> Fault.html(503)),
        new FaultKind("status500", () -> Fault.status(500, "internal error")),
        new FaultKind("malformedJson", Fault::malformedJson),
        new FaultKind("disconnect", Fault::disconnect),
        new FaultKind("lostReply", Fault::lostReply),
        new FaultKind("cutReply", Fault::cutReply),
        new FaultKind("droppedReply", Fault::droppedReply));
  }

  /**
   * The seeds to run: {@code -Dpan4j.soak.seed=S} runs S alone; {@code -Dpan4j.soak.seeds=N} runs N
   * seeds from {@code -Dpan4j.soak.from} (default 1); otherwise {@code ciSeeds}.
   */
  public static Stream<Long> seeds(long... ciSeeds) {
    String one = System.getProperty("pan4j.soak.seed");
    if (one != null && !one.isBlank()) return Stream.of(Long.parseLong(one.trim()));
    String many = System.getProperty("pan4j.soak.seeds");
    if (many != null && !many.isBlank()) {
      long from = Long.getLong("pan4j.soak.from", 1L);
      int n = Integer.parseInt(many.trim());
      return java.util.stream.LongStream.range(from, from + n).boxed();
    }
    return Arrays.stream(ciSeeds).boxed();
  }

  /** Steps per seed: {@code -Dpan4j.soak.steps}, else {@code ciSteps}. */
  public static int steps(int ciSteps) {
    return Integer.getInteger("pan4j.soak.steps", ciSteps);
  }

  /** A soak over {@code drive}, whose driver works on the account {@code uid} of {@code cloud}. */
  public static Builder over(Drive drive, FakeCloud cloud, long uid) {
    return new Builder(drive, cloud, uid);
  }

  /** Settings of a soak. */
  public static final class Builder {
    private final Drive drive;
    private final FakeCloud cloud;
    private final long uid;
    private final List<FaultKind> faults = new ArrayList<>(standardFaults());
    private int steps = 60;
    private int smallMax = 200;
    private int largeMin = 600;
    private int largeMax = 4500;
    private double faultRate = 0.6;
    private double secondFaultRate = 0.2;
    private boolean keepBoth = true;
    private io.github.pan4j.testkit.fake.FakeClock clock;
    private java.time.Duration slowBy;
    private java.util.function.Consumer<Boolean> tightTimeouts;
    private int slowSteps = 3;
    private int interruptSteps;
    private boolean bodyInterrupts;
    private java.util.function.Consumer<Runnable> sliceCutter;
    private Drive deadlineDrive;
    private java.time.Duration deadlineSlowBy;
    private int deadlineSteps;

    private Builder(Drive drive, FakeCloud cloud, long uid) {
      this.drive = Objects.requireNonNull(drive, "drive");
      this.cloud = Objects.requireNonNull(cloud, "cloud");
      this.uid = uid;
    }

    /** Steps per run (default 60). */
    public Builder steps(int steps) { this.steps = steps; return this; }

    /** A fault kind besides the standard ones, e.g. the front door's own "429" reply. */
    public Builder fault(String name, Supplier<Fault> make) { faults.add(new FaultKind(name, make)); return this; }

    /** Sizes of small files (1..max) and of files sent in slices or parts (min..max). */
    public Builder sizes(int smallMax, int largeMin, int largeMax) {
      this.smallMax = smallMax;
      this.largeMin = largeMin;
      this.largeMax = largeMax;
      return this;
    }

    /** The clock of the fake and the driver, advanced between steps (a second; longer after a failure). */
    public Builder clock(io.github.pan4j.testkit.fake.FakeClock clock) { this.clock = clock; return this; }

    /** Share of faulted steps that get a second fault a few requests after the first (default 0.2). */
    public Builder secondFaultRate(double rate) { this.secondFaultRate = rate; return this; }

    /** Share of steps with a fault armed (default 0.6). */
    public Builder faultRate(double rate) { this.faultRate = rate; return this; }

    /** Whether uploads may use KEEP_BOTH on a taken name (default true). */
    public Builder keepBoth(boolean on) { this.keepBoth = on; return this; }

    /**
     * Now and then (at most {@code steps} times a run) the fault is a reply held back by
     * {@code delay}: half the time {@link Fault#slow} (the request is carried out, only its answer
     * comes late), half the time {@link Fault#unanswered} (never carried out, no answer),
     * and for that step {@code tightTimeouts} is told {@code true} (then {@code false}) so the test's
     * HTTP client reads with a timeout well below {@code delay}: the driver meets a timeout after a
     * write that went through. Keep {@code delay} small (milliseconds): it is real time.
     */
    public Builder slowReplies(java.time.Duration delay, java.util.function.Consumer<Boolean> tightTimeouts, int steps) {
      this.slowBy = Objects.requireNonNull(delay, "delay");
      this.tightTimeouts = Objects.requireNonNull(tightTimeouts, "tightTimeouts");
      this.slowSteps = steps;
      return this;
    }

    /**
     * Now and then (at most {@code steps} times a run) the calling thread is interrupted while the
     * Nth request of a step is held at the fake ({@link io.github.pan4j.testkit.fake.RequestGate#interrupting}):
     * half the time the request was carried out ({@link Fault#hold}), half the time it never will be
     * ({@link Fault#holdUnhandled}). The step must fail with CANCELLED, keep the interrupt flag set, and leave the tree as it was or
     * as the step would have (saying so when the write took effect).
     */
    public Builder interrupts(int steps) { this.interruptSteps = steps; return this; }

    /**
     * Half of the interrupts of a {@code get} strike while the download body is in transit: the
     * fake sends half of it and holds the rest ({@link Fault#holdMidBody}) while it interrupts the
     * caller. The get must end CANCELLED with the interrupt flag kept, and change nothing.
     */
    public Builder bodyInterrupts() { this.bodyInterrupts = true; return this; }

    /**
     * Half of the interrupts of a {@code put} strike while a request carrying file bytes (a slice,
     * a part, a one-request upload) is half sent: {@code cutter} is given a hook (then null once
     * the step is over) that the test's HTTP client runs after writing half of the next such body
     * and that interrupts the caller; the client then waits for the call to be cancelled and fails
     * the write. Nothing can have been stored: the put must end CANCELLED with the flag kept, leave
     * the tree as it was, and not say that anything may have taken effect.
     */
    public Builder sliceInterrupts(java.util.function.Consumer<Runnable> cutter) {
      this.sliceCutter = Objects.requireNonNull(cutter, "cutter");
      return this;
    }

    /**
     * Now and then (at most {@code steps} times a run) a step runs through {@code drive}, a second
     * drive over the same account opened with a short {@code callDeadline} (well below
     * {@code slowBy}), with one fault: half the time a reply held back by {@code slowBy}
     * ({@link Fault#slow}: carried out, answered after the deadline struck), half the time one of
     * the other faults, whose retry the deadline leaves no time for. The clock is advanced by two
     * minutes before and after, so neither drive's path cache outlives what the other changed.
     * Keep {@code slowBy} small: it is real time.
     */
    public Builder deadlineDrive(Drive drive, java.time.Duration slowBy, int steps) {
      this.deadlineDrive = Objects.requireNonNull(drive, "drive");
      this.deadlineSlowBy = Objects.requireNonNull(slowBy, "slowBy");
      this.deadlineSteps = steps;
      return this;
    }

    /** Runs the soak for {@code seed}; throws {@link AssertionError} with the seed and steps on the first bug. */
    public void run(long seed) {
      new Run(this, seed).run();
    }
  }

  // ------------------------------------------------------------------ one run

  private static final String ROOT = "/soak";
  /** How an error claims the write did take effect: wrong when the tree is as it was. */
  private static final java.util.regex.Pattern CLAIMS_IT_DID = java.util.regex.Pattern.compile("took effect|has stored it");
  private static final Set<ErrorKind> FAULT_KINDS =
      EnumSet.of(ErrorKind.NETWORK, ErrorKind.PROTOCOL, ErrorKind.PROVIDER_ERROR, ErrorKind.RATE_LIMITED);

  /** A step: what it does, what it should leave. */
  private abstract static class Op {
    final String label;
    /** The kind an invalid step must fail with, or null for a valid one. */
    ErrorKind refusal;
    /** Requests it makes, about: the fault goes on one of 1..this. */
    int requests = 4;
    /** A read: downloads may also fail with INTEGRITY. */
    boolean mayFailIntegrity;
    /**
     * Repeating the step after it failed gives what it would have given the first time (mkdirs;
     * remove, whose repeat finds nothing and returns false): a failure although the step took
     * effect costs the caller nothing, so it need not say so.
     */
    boolean repeatable;
    /** A kind a valid step may also be refused with, from a state the model does not predict, or null. */
    ErrorKind mayRefuse;
    /** A call on no path or id (listing the trash): its errors have no target. */
    boolean noTarget;
    /** A step that only reads (get, ls, trash ls, shares ls): its failure must not say a write may have taken effect. */
    boolean reads;
    /** For a share: the ids it shares and its extraction code; null for every other step, which must make no share. */
    List<Long> shareIds;
    String sharePassword;
    /** For a share: the days it was asked to last (0: permanent). */
    int shareDays;
    /** A get (its body may be held mid-way) or a put (its file bytes may be cut mid-way). */
    boolean download;
    boolean upload;

    Op(String label) {
      this.label = label;
    }

    abstract Object apply(Drive d) throws Exception;

    /** The tree after success, given the step's result. */
    abstract SortedMap<String, Item> after(SortedMap<String, Item> before, Object result);

    /** Whether {@code actual} (after a failure) is what success would have left. */
    boolean isAfter(SortedMap<String, Item> before, SortedMap<String, Item> actual) {
      return actual.equals(after(before, null));
    }

    /** Extra checks of a successful result (bytes read, names listed); a message, or null. */
    String checkResult(SortedMap<String, Item> before, Object result) {
      return null;
    }
  }

  private static final class Run {
    private final Builder cfg;
    private final long seed;
    private final Random rnd;
    private final Drive drive;
    private final FakeStore store;
    private final List<String> log = new ArrayList<>();
    private final Map<String, byte[]> contents = new java.util.HashMap<>(); // md5 -> bytes
    private final List<byte[]> recent = new ArrayList<>();
    private final Map<String, Integer> requestsSeen = new java.util.HashMap<>(); // most requests per kind of step
    private SortedMap<String, Item> model = new TreeMap<>();
    /** Ids of the live entries of the tree by path, as of the last snapshot. */
    private Map<String, Long> ids = new java.util.HashMap<>();
    /** Every id ever seen in the soak's folder: one that turns up outside it is "lost". */
    private final Set<Long> known = new java.util.HashSet<>();
    private long soakFolder;
    private int names;
    private int slowLeft;
    private int interruptsLeft;
    /** The caller was interrupted during this step: CANCELLED fits. */
    private boolean cancelling;
    /** Decisions of the later additions (mid-body interrupts, the deadline drive, time passing), so the others replay as before. */
    private final Random extra;
    private int deadlineLeft;

    Run(Builder cfg, long seed) {
      this.cfg = cfg;
      this.seed = seed;
      this.rnd = new Random(seed);
      this.drive = cfg.drive;
      this.store = cfg.cloud.store();
      this.slowLeft = cfg.slowBy == null ? 0 : cfg.slowSteps;
      this.interruptsLeft = cfg.interruptSteps;
      this.extra = new Random(seed * 0x9E3779B97F4A7C15L + 11);
      this.deadlineLeft = cfg.deadlineDrive == null ? 0 : cfg.deadlineSteps;
    }

    void run() {
      soakFolder = store.mkdir(cfg.uid, FakeStore.ROOT, ROOT.substring(1)).id();
      ids.put(ROOT, soakFolder);
      model.put(ROOT, Item.FOLDER);
      for (int step = 1; step <= cfg.steps; step++) {
        boolean timeOps = cfg.clock != null && drive.supports(Capability.SHARE);
        Op op = timeOps && extra.nextInt(30) == 0 ? timePasses() : nextOp();
        if (op == null) continue;
        // One fault on the Nth request of the step; now and then a second one a little later (the
        // look after a lost answer failing too). A counter that matches nothing numbers the requests.
        // The requests a kind of step made so far widen where its fault may fall.
        List<String> armed = new ArrayList<>();
        AtomicInteger counter = new AtomicInteger();
        for (String server : FakeCloud.SERVERS) {
          cfg.cloud.inject(server, r -> {
            counter.incrementAndGet();
            return false;
          }, Fault.html(599), 1);
        }
        String kind = op.label.substring(0, op.label.indexOf(' '));
        int span = Math.max(op.requests, requestsSeen.getOrDefault(kind, 0));
        io.github.pan4j.testkit.fake.RequestGate gate = null;
        java.util.concurrent.atomic.AtomicBoolean sliceCut = null;
        boolean onDeadlineDrive = false;
        boolean tight = false;
        if (interruptsLeft > 0 && rnd.nextInt(15) == 0) {
          // The caller interrupted while the Nth request is held at the fake (carried out, unanswered).
          interruptsLeft--;
          int n = 1 + rnd.nextInt(span);
          gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
          // Half the time the request is held before it reaches the service and is never carried out.
          boolean unhandled = rnd.nextBoolean();
          boolean inTransit = extra.nextBoolean();
          if (inTransit && op.download && cfg.bodyInterrupts) {
            // Every download request of the step: the first answer with a body is held mid-way.
            Fault f = Fault.holdMidBody(gate::hold);
            cfg.cloud.inject("cdn", r -> r.method().equals("GET"), f, 1000);
            cfg.cloud.inject("vip", r -> r.method().equals("GET"), f, 1000);
            armed.add("interruptMidBody");
          } else if (inTransit && op.upload && cfg.sliceCutter != null) {
            gate = null;
            Thread caller = Thread.currentThread();
            sliceCut = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean cutNow = sliceCut;
            cfg.sliceCutter.accept(() -> {
              cutNow.set(true);
              caller.interrupt();
            });
            armed.add("interruptMidSlice");
          } else {
            Fault f = unhandled ? Fault.holdUnhandled(gate::hold) : Fault.hold(gate::hold);
            for (String server : FakeCloud.SERVERS) cfg.cloud.inject(server, r -> counter.get() == n, f, 1);
            armed.add((unhandled ? "interruptUnhandled@" : "interrupt@") + n);
          }
        } else if (deadlineLeft > 0 && extra.nextInt(10) == 0) {
          // Through the drive with the short call deadline: a reply later than the deadline, or a
          // fault whose retry the deadline leaves no time for.
          deadlineLeft--;
          onDeadlineDrive = true;
          int n = 1 + rnd.nextInt(span);
          boolean late = extra.nextBoolean();
          Duration by = cfg.deadlineSlowBy;
          FaultKind fk = late ? new FaultKind("slow" + by.toMillis() + "ms", () -> Fault.slow(by))
              : cfg.faults.get(extra.nextInt(cfg.faults.size()));
          Fault f = fk.make().get();
          for (String server : FakeCloud.SERVERS) cfg.cloud.inject(server, r -> counter.get() == n, f, 1);
          armed.add("deadlineDrive " + fk.name() + "@" + n);
        } else if (rnd.nextDouble() < cfg.faultRate) {
          int at = 1 + rnd.nextInt(span);
          int faults = rnd.nextDouble() < cfg.secondFaultRate ? 2 : 1;
          for (int k = 0; k < faults; k++) {
            FaultKind fk = cfg.faults.get(rnd.nextInt(cfg.faults.size()));
            if (slowLeft > 0 && !tight && rnd.nextInt(10) == 0) {
              slowLeft--;
              tight = true;
              Duration by = cfg.slowBy;
              // Carried out and answered late, or never carried out (the timeout comes before the write).
              fk = rnd.nextBoolean() ? new FaultKind("slow" + by.toMillis() + "ms", () -> Fault.slow(by))
                  : new FaultKind("unanswered" + by.toMillis() + "ms", () -> Fault.unanswered(by));
            }
            int n = at;
            Fault f = fk.make().get();
            for (String server : FakeCloud.SERVERS) cfg.cloud.inject(server, r -> counter.get() == n, f, 1);
            armed.add(fk.name() + "@" + n);
            at += 1 + rnd.nextInt(3);
          }
        }
        String position = String.join("+", armed);
        int pendingBefore = cfg.cloud.pendingFaults();
        SortedMap<String, Item> before = new TreeMap<>(model);
        Set<String> sharesBefore = shareKeys();
        Object result = null;
        Throwable failure = null;
        if (tight) cfg.tightTimeouts.accept(true);
        // Neither drive's path cache may outlive what the other one changed.
        if (onDeadlineDrive) cfg.clock.advance(Duration.ofMinutes(2));
        try {
          result = op.apply(onDeadlineDrive ? cfg.deadlineDrive : drive);
        } catch (Throwable t) {
          failure = t;
        } finally {
          if (tight) cfg.tightTimeouts.accept(false);
          if (sliceCut != null) cfg.sliceCutter.accept(null);
        }
        if (onDeadlineDrive) cfg.clock.advance(Duration.ofMinutes(2));
        boolean interrupted = Thread.interrupted(); // cleared here: the soak goes on
        boolean slicesCut = sliceCut != null && sliceCut.get();
        boolean cut = gate != null && gate.arrived() > 0 || slicesCut;
        if (gate != null) gate.release();
        int firedCount = pendingBefore - cfg.cloud.pendingFaults() + (slicesCut ? 1 : 0);
        requestsSeen.merge(kind, counter.get(), Math::max);
        // On the drive with the short deadline the deadline itself is a fault: a wait for the
        // endpoint's turn (paced on the fake clock) can use it up before any armed fault is reached.
        // So is the 50 ms read timeout of a step with a slow reply armed: on a loaded machine any
        // request of the step (the first token request of a run, say) can take longer.
        boolean fired = firedCount > 0 || failure instanceof DriveException de && de.kind() == ErrorKind.NETWORK
            && (onDeadlineDrive && String.valueOf(de.getMessage()).contains("deadline")
                || tight && String.valueOf(de.getMessage()).contains("SocketTimeoutException"));
        cfg.cloud.clearFaults();
        String line = "#" + step + " " + op.label + (armed.isEmpty() ? "" : " | " + position
            + (fired ? " (" + firedCount + " fired)" : " not reached")) + " -> " + (failure == null ? "ok " + brief(result) : describe(failure))
            + (interrupted ? " [interrupt flag set]" : "");
        log.add(line);
        SortedMap<String, Item> actual = snapshot();
        cancelling = cut;
        if (cut) checkCancelled(failure, interrupted);
        else if (interrupted) fail("the interrupt flag is set although nobody interrupted the caller", failure);
        check(op, before, result, failure, fired, actual);
        if (slicesCut) {
          // Half a request of file bytes reached 123: nothing can have been stored.
          if (!actual.equals(before)) fail("an upload interrupted while its bytes were half sent changed the tree:\n" + diff(before, actual), failure);
          if (mayHaveTakenEffect(failure)) {
            fail("an upload interrupted while its bytes were half sent says something may have taken effect, which cannot be", failure);
          }
        }
        checkShares(op, sharesBefore, result, failure, false);
        if (failure instanceof DriveException e && fired && op.refusal == null && e.kind() != op.mayRefuse
            && (op.repeatable || e.retryable())) {
          actual = repeat(op, before, sharesBefore, e);
        }
        model = actual;
        // Time passes between steps as it would for a caller, and after a failure the caller waits
        // before going on: the token manager fails fast, by design, for a back-off after a failed
        // token request (see TokenManager), and the next step must not meet that window.
        if (cfg.clock != null) cfg.clock.advance(java.time.Duration.ofSeconds(failure == null ? 1 : 150));
      }
      if (Boolean.getBoolean("pan4j.soak.print")) System.out.println("seed " + seed + ":\n  " + String.join("\n  ", log));
      // The drive's own view (its path cache included) must agree with the store at the end.
      SortedMap<String, Item> seen = new TreeMap<>();
      try (Stream<Entry> s = drive.walk(ROOT)) {
        s.forEach(e -> seen.put(e.path(), e.folder() ? Item.FOLDER : new Item(false, e.size(), String.valueOf(e.hashes().md5()))));
      } catch (RuntimeException e) {
        fail("walking the tree at the end failed: " + describe(e), e);
      }
      Set<String> live = new java.util.TreeSet<>(model.keySet());
      live.removeIf(k -> !live(k));
      if (!seen.keySet().equals(live)) fail("the drive's walk at the end " + seen.keySet() + " differs from the store " + live, null);
    }

    /**
     * The caller's retry of a step that failed with an error that says retrying is fine (retryable,
     * or a step whose repeat is harmless by contract): with no fault, it must succeed and leave the
     * tree as the step should have. A retry that meets its own effect ("already exists", "not
     * found") is the bug this catches.
     */
    private SortedMap<String, Item> repeat(Op op, SortedMap<String, Item> before, Set<String> sharesBefore, DriveException first) {
      if (cfg.clock != null) cfg.clock.advance(java.time.Duration.ofSeconds(150));
      Object result;
      try {
        result = op.apply(drive);
      } catch (Throwable t) {
        log.add("   repeated -> " + describe(t));
        fail("the step failed with " + (first.retryable() ? "a retryable error" : "an error of a step whose repeat is harmless")
            + ", but repeating it failed", t);
        return model;
      }
      log.add("   repeated -> ok " + brief(result));
      SortedMap<String, Item> actual = snapshot();
      checkShares(op, sharesBefore, result, null, true);
      String dup = duplicates();
      if (dup != null) fail("two live entries of one name after the repeat: " + dup, null);
      SortedMap<String, Item> expected = op.after(before, result);
      if (!actual.equals(expected)) fail("the repeat succeeded but the tree is not what the step should leave:\n" + diff(expected, actual), null);
      return actual;
    }

    private void check(Op op, SortedMap<String, Item> before, Object result, Throwable failure, boolean fired,
        SortedMap<String, Item> actual) {
      String dup = duplicates();
      if (dup != null) fail("two live entries of one name: " + dup, failure);
      if (failure == null) {
        if (op.refusal != null) fail("succeeded although it should have failed with " + op.refusal, null);
        SortedMap<String, Item> expected = op.after(before, result);
        if (!actual.equals(expected)) fail("succeeded but the tree is not what it should be:\n" + diff(expected, actual), null);
        String bad = op.checkResult(before, result);
        if (bad != null) fail(bad, null);
        return;
      }
      if (!(failure instanceof DriveException e)) {
        fail("failed with " + failure.getClass().getName() + " instead of a DriveException", failure);
        return;
      }
      if (e.driverId().isEmpty() || e.operation().isEmpty() || (e.target().isEmpty() && !op.noTarget)) {
        fail("the DriveException lacks driver, operation or target: " + e.driverId() + " " + e.operation() + " " + e.target(), e);
      }
      if (!e.driverId().get().equals(drive.id())) fail("driver id " + e.driverId().get() + " is not " + drive.id(), e);
      if (!fired) {
        if (op.refusal == null && e.kind() != op.mayRefuse) fail("failed with no fault fired", e);
        if (op.refusal != null && e.kind() != op.refusal) fail("failed with " + e.kind() + " instead of " + op.refusal, e);
      } else {
        boolean fits = FAULT_KINDS.contains(e.kind()) || e.kind() == op.refusal || e.kind() == op.mayRefuse
            || (op.mayFailIntegrity && e.kind() == ErrorKind.INTEGRITY) || (cancelling && e.kind() == ErrorKind.CANCELLED);
        if (!fits) fail("the fault surfaced as " + e.kind() + ", which does not fit a lost, cut or refused reply", e);
      }
      SortedMap<String, Item> after = op.refusal != null ? before : op.after(before, null);
      boolean asBefore = actual.equals(before);
      boolean asAfter = op.refusal == null && (op.isAfter(before, actual));
      if (!asBefore && !asAfter) {
        fail("failed and left the tree neither as it was nor as the step would have:\n" + diff(after, actual), e);
      }
      if (asBefore && !asAfter && CLAIMS_IT_DID.matcher(String.valueOf(e.getMessage())).find()) {
        fail("the step left the tree as it was, but the error says the write took effect (it may only say it may have)", e);
      }
      if (asAfter && !asBefore && !op.repeatable && !e.mayHaveTakenEffect()) {
        fail("reported a failure although the step took effect, and the error does not say it may have", e);
      }
      if (op.reads && e.mayHaveTakenEffect()) {
        fail("a step that only reads failed saying something may have taken effect", e);
      }
    }

    /**
     * The step was interrupted while one of its requests was held at the fake: Drive documents
     * CANCELLED on interrupt, with the interrupt flag kept for the caller.
     */
    private void checkCancelled(Throwable failure, boolean interrupted) {
      if (failure == null) {
        fail("the caller was interrupted while a request of the step was held, yet the step succeeded"
            + (interrupted ? "" : " and the interrupt flag was cleared"), null);
      }
      if (!(failure instanceof DriveException e) || e.kind() != ErrorKind.CANCELLED) {
        fail("the caller was interrupted while a request of the step was held, but the step failed with "
            + describe(failure) + " instead of CANCELLED", failure);
        return;
      }
      if (!interrupted) fail("failed with CANCELLED but cleared the caller's interrupt flag (Drive keeps it set)", failure);
    }

    /** The keys of the shares the fake holds for the account. */
    private Set<String> shareKeys() {
      Set<String> keys = new java.util.HashSet<>();
      for (io.github.pan4j.testkit.fake.Share x : store.shares(cfg.uid)) keys.add(x.key());
      return keys;
    }

    /**
     * The shares the step made (read from the fake's store): none for a step that is not a share;
     * for a share exactly one when it succeeded (with its entries and code), at most one when it
     * failed (and then the error says it may have been made). Two shares where the caller asked for
     * one is the bug this looks for. {@code repeated}: after the caller's repeat of a failed share.
     */
    private void checkShares(Op op, Set<String> before, Object result, Throwable failure, boolean repeated) {
      List<io.github.pan4j.testkit.fake.Share> made = store.shares(cfg.uid).stream().filter(x -> !before.contains(x.key())).toList();
      List<String> keys = made.stream().map(io.github.pan4j.testkit.fake.Share::key).toList();
      if (op.shareIds == null || op.refusal != null) {
        if (!made.isEmpty()) fail("the step made share(s) " + keys, failure);
        return;
      }
      if (made.size() > 1) {
        fail("one share was asked for" + (repeated ? " (and asked again after a failure)" : "") + ", but the account has "
            + made.size() + " new shares " + keys, failure);
      }
      for (io.github.pan4j.testkit.fake.Share x : made) {
        if (!new java.util.HashSet<>(x.entryIds()).equals(new java.util.HashSet<>(op.shareIds))) {
          fail("the share made holds " + x.entryIds() + ", not " + op.shareIds, failure);
        }
        if (!Objects.equals(x.password(), op.sharePassword)) fail("the share made has another extraction code than was asked for", failure);
      }
      if (failure == null) {
        if (made.size() != 1) fail("share succeeded but the account has " + made.size() + " new shares", null);
        io.github.pan4j.core.ShareLink link = (io.github.pan4j.core.ShareLink) result;
        if (!link.key().equals(made.get(0).key())) fail("share returned key " + link.key() + " but made " + made.get(0).key(), null);
        if (!Objects.equals(link.password(), op.sharePassword)) fail("share returned another extraction code than was asked for", null);
        if (!sameSecond(link.expiresAt(), made.get(0).expiresAt())) {
          fail("share returned expiry " + link.expiresAt() + " but the share made closes at " + made.get(0).expiresAt(), null);
        }
        java.time.Instant closes = made.get(0).expiresAt();
        java.time.Instant due = cfg.cloud.now().plus(Duration.ofDays(op.shareDays));
        if ((op.shareDays == 0) != (closes == null)
            || closes != null && (closes.isAfter(due) || closes.isBefore(due.minus(Duration.ofHours(1))))) {
          fail("share asked for " + op.shareDays + " days (0: permanent) but the share made closes at " + closes, null);
        }
      } else if (!made.isEmpty() && !mayHaveTakenEffect(failure)) {
        fail("reported a failure although the share was made, and the error does not say it may have been", failure);
      }
    }

    // ---------------------------------------------------------------- the operations

    private Op nextOp() {
      List<String> folders = model.entrySet().stream().filter(x -> live(x.getKey()) && x.getValue().folder()).map(Map.Entry::getKey).toList();
      List<String> files = model.entrySet().stream().filter(x -> live(x.getKey()) && !x.getValue().folder()).map(Map.Entry::getKey).toList();
      List<String> entries = model.keySet().stream().filter(p -> p.startsWith(ROOT + "/")).toList();
      boolean trash = drive.supports(Capability.TRASH);
      boolean share = drive.supports(Capability.SHARE);
      int roll = rnd.nextInt(100 + (trash ? 12 : 0) + (share ? 8 : 0));
      if (roll >= 100) {
        int r = roll - 100;
        if (share) {
          if (r < 6) return entries.isEmpty() ? mkdir(ROOT) : share(entries);
          if (r < 8) return shareList();
          r -= 8;
        }
        List<Long> trashed = trashed(model);
        if (r < 4 || trashed.isEmpty()) return trashList();
        if (r < 9) return restore(trashed, folders);
        return purge(trashed, entries);
      }
      if (roll < 14 || entries.size() < 3) return mkdir(pick(folders));
      if (roll < 40) return put(pick(folders), files);
      if (roll < 52) return rename(pick(entries));
      if (roll < 64) return move(pick(entries), folders);
      if (roll < 67 && drive.supports(Capability.COPY)) return copy(pick(entries), folders);
      if (roll < 70 && drive.supports(Capability.COPY)) return copyAll(entries, folders);
      if (roll < 78) return remove(entries);
      if (roll < 90 && !files.isEmpty()) return get(pick(files));
      return list(pick(folders));
    }

    private Op mkdir(String parent) {
      boolean existing = rnd.nextInt(10) == 0;
      List<String> subfolders = model.entrySet().stream()
          .filter(x -> x.getValue().folder() && parentOf(x.getKey()).equals(parent)).map(Map.Entry::getKey).toList();
      String path = existing && !subfolders.isEmpty() ? pick(subfolders) : freeChild(parent, "d");
      String path2 = rnd.nextInt(5) == 0 && !model.containsKey(path) ? path + "/" + "n" + (++names) : path;
      Op op = new Op("mkdirs " + path2) {
        @Override Object apply(Drive d) { return d.mkdirs(path2); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          a.put(path, Item.FOLDER);
          a.put(path2, Item.FOLDER);
          return a;
        }

        @Override boolean isAfter(SortedMap<String, Item> b, SortedMap<String, Item> actual) {
          // mkdirs of two levels may stop after the first: that is a state "as before" one level on.
          SortedMap<String, Item> half = new TreeMap<>(b);
          half.put(path, Item.FOLDER);
          return actual.equals(after(b, null)) || actual.equals(half);
        }
      };
      op.requests = 5;
      op.repeatable = true;
      return op;
    }

    private Op put(String parent, List<String> files) {
      byte[] content = content();
      String md5 = md5(content);
      Item item = new Item(false, content.length, md5);
      int mode = rnd.nextInt(10);
      List<String> here = files.stream().filter(f -> parentOf(f).equals(parent)).toList();
      ConflictPolicy policy;
      String path;
      if (mode < 6 || here.isEmpty()) {
        policy = ConflictPolicy.FAIL;
        path = freeChild(parent, "f");
      } else if (mode < 8) {
        policy = ConflictPolicy.OVERWRITE;
        path = pick(here);
      } else if (mode < 9 && cfg.keepBoth) {
        policy = ConflictPolicy.KEEP_BOTH;
        path = pick(here);
      } else {
        policy = ConflictPolicy.FAIL; // a taken name: refused before anything is sent
        path = pick(here);
      }
      boolean refused = policy == ConflictPolicy.FAIL && model.containsKey(path);
      Long replaced = policy == ConflictPolicy.OVERWRITE ? ids.get(path) : null;
      Op op = new Op("put " + path + " " + content.length + "B " + md5.substring(0, 8) + " " + policy) {
        @Override Object apply(Drive d) {
          return d.put(path, UploadSource.ofBytes(content), UploadOptions.DEFAULT.withConflict(policy));
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          if (policy == ConflictPolicy.KEEP_BOTH) {
            if (r instanceof Entry e) a.put(e.path(), item);
          } else {
            a.put(path, item);
          }
          // The file OVERWRITE replaced goes to the trash (where the store has it: 123 trashes it,
          // the driver does not say), or is gone.
          Node old = replaced == null ? null : store.node(cfg.uid, replaced).orElse(null);
          if (old != null && old.trashed()) a.put(trashKey(replaced, old.parentId(), old.name()), b.get(path));
          return a;
        }

        @Override boolean isAfter(SortedMap<String, Item> b, SortedMap<String, Item> actual) {
          if (policy != ConflictPolicy.KEEP_BOTH) return actual.equals(after(b, null));
          // One new file with the content, under a name 123 chose, beside the others.
          SortedMap<String, Item> extra = new TreeMap<>(actual);
          b.keySet().forEach(extra::remove);
          if (extra.size() != 1) return false;
          Map.Entry<String, Item> x = extra.entrySet().iterator().next();
          SortedMap<String, Item> rest = new TreeMap<>(actual);
          rest.remove(x.getKey());
          return rest.equals(b) && x.getValue().equals(item) && parentOf(x.getKey()).equals(parent);
        }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          Entry e = (Entry) r;
          if (e.size() != content.length) return "put returned size " + e.size() + " for " + content.length + " bytes";
          if (policy == ConflictPolicy.KEEP_BOTH && b.containsKey(e.path())) return "KEEP_BOTH returned a taken path " + e.path();
          return null;
        }
      };
      if (refused) op.refusal = ErrorKind.ALREADY_EXISTS;
      op.requests = content.length > cfg.smallMax ? 12 : 6;
      op.mayFailIntegrity = true;
      op.upload = true;
      return op;
    }

    private Op rename(String path) {
      String parent = parentOf(path);
      boolean clash = rnd.nextInt(12) == 0;
      List<String> siblings = model.keySet().stream().filter(p -> !p.equals(ROOT) && !p.equals(path) && parentOf(p).equals(parent)).toList();
      String target = clash && !siblings.isEmpty() ? pick(siblings)
          : freeChild(parent, model.get(path).folder() ? "r" : "g");
      String newName = nameOf(target);
      Op op = new Op("rename " + path + " -> " + newName) {
        @Override Object apply(Drive d) { return d.rename(path, newName); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          return relocate(b, path, target);
        }
      };
      if (model.containsKey(target)) op.refusal = ErrorKind.ALREADY_EXISTS;
      return op;
    }

    private Op move(String path, List<String> folders) {
      List<String> targets = folders.stream()
          .filter(f -> !f.equals(parentOf(path)) && !f.equals(path) && !f.startsWith(path + "/")).toList();
      if (targets.isEmpty()) return list(ROOT);
      String into = pick(targets);
      String target = into + "/" + nameOf(path);
      Op op = new Op("move " + path + " -> " + into) {
        @Override Object apply(Drive d) { return d.move(path, into); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          return relocate(b, path, target);
        }
      };
      if (model.containsKey(target)) op.refusal = ErrorKind.ALREADY_EXISTS;
      return op;
    }

    private Op copy(String path, List<String> folders) {
      List<String> targets = folders.stream().filter(f -> !f.equals(path) && !f.startsWith(path + "/")).toList();
      String into = pick(targets);
      if (into.equals(parentOf(path))) return list(into);
      String target = into + "/" + nameOf(path);
      Op op = new Op("copy " + path + " -> " + into) {
        @Override Object apply(Drive d) { return d.copy(path, into); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          for (Map.Entry<String, Item> x : b.entrySet()) {
            if (x.getKey().equals(path) || x.getKey().startsWith(path + "/")) a.put(target + x.getKey().substring(path.length()), x.getValue());
          }
          return a;
        }
      };
      if (model.containsKey(target)) op.refusal = ErrorKind.ALREADY_EXISTS;
      op.requests = 6;
      return op;
    }

    private Op share(List<String> entries) {
      List<String> chosen = new ArrayList<>();
      chosen.add(pick(entries));
      if (entries.size() > 1 && rnd.nextInt(3) == 0) {
        String other = pick(entries);
        if (!chosen.contains(other)) chosen.add(other);
      }
      boolean missing = rnd.nextInt(10) == 0;
      if (missing) chosen.add(ROOT + "/gone" + (++names));
      String password = rnd.nextBoolean() ? String.format("%04d", rnd.nextInt(10000)) : null;
      io.github.pan4j.core.ShareExpiry expiry = List.of(io.github.pan4j.core.ShareExpiry.ONE_DAY,
          io.github.pan4j.core.ShareExpiry.SEVEN_DAYS, io.github.pan4j.core.ShareExpiry.PERMANENT).get(rnd.nextInt(3));
      io.github.pan4j.core.ShareOptions options = io.github.pan4j.core.ShareOptions.DEFAULT.withExpiry(expiry);
      if (password != null) options = options.withPassword(password);
      io.github.pan4j.core.ShareOptions o = options;
      Op op = new Op("share " + chosen + (password != null ? " with a code" : "") + " " + expiry.days() + "d") {
        @Override Object apply(Drive d) { return d.share(chosen, o); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }
      };
      op.shareIds = chosen.stream().filter(ids::containsKey).map(ids::get).toList();
      op.sharePassword = password;
      op.shareDays = expiry.days();
      if (missing) op.refusal = ErrorKind.NOT_FOUND;
      op.requests = 2 + chosen.size();
      return op;
    }

    private Op shareList() {
      Op op = new Op("shares ls") {
        @Override Object apply(Drive d) {
          // Key and expiry of each listed share (expired ones included, as 123 lists them).
          try (Stream<io.github.pan4j.core.ShareLink> s = d.shares()) {
            Map<String, java.time.Instant> out = new TreeMap<>();
            s.forEach(l -> out.put(l.key(), l.expiresAt()));
            return out;
          }
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          @SuppressWarnings("unchecked") Map<String, java.time.Instant> listed = (Map<String, java.time.Instant>) r;
          List<String> want = store.shares(cfg.uid).stream().map(io.github.pan4j.testkit.fake.Share::key).sorted().toList();
          List<String> got = List.copyOf(listed.keySet());
          if (!got.equals(want)) return "shares() listed " + got + " but the account has " + want;
          for (io.github.pan4j.testkit.fake.Share x : store.shares(cfg.uid)) {
            java.time.Instant at = listed.get(x.key());
            if (!sameSecond(at, x.expiresAt())) {
              return "shares() lists " + x.key() + " as closing at " + at + " but it closes at " + x.expiresAt()
                  + " (now " + cfg.cloud.now() + ")";
            }
          }
          return null;
        }
      };
      op.noTarget = true;
      op.reads = true;
      op.requests = 2;
      return op;
    }

    /**
     * Days pass (one to nine) on the clock of the fake and the drive, so that shares made for one
     * or seven days close; {@code shares ls} must then still list them with the time they closed.
     */
    private Op timePasses() {
      int days = 1 + extra.nextInt(9);
      Op op = new Op("time passes " + days + "d") {
        @Override Object apply(Drive d) {
          cfg.clock.advance(Duration.ofDays(days));
          return null;
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }
      };
      op.noTarget = true;
      op.requests = 1;
      return op;
    }

    private static boolean sameSecond(java.time.Instant a, java.time.Instant b) {
      if (a == null || b == null) return a == b;
      return a.getEpochSecond() == b.getEpochSecond();
    }

    /**
     * Copies one to three entries of distinct names into a folder that holds none of them and is
     * not below any of them; now and then one name is taken there (refused with ALREADY_EXISTS).
     */
    private Op copyAll(List<String> entries, List<String> folders) {
      List<String> chosen = new ArrayList<>();
      int want = 1 + rnd.nextInt(3);
      for (int i = 0; i < want * 2 && chosen.size() < want; i++) {
        String p = pick(entries);
        if (chosen.stream().noneMatch(c -> nameOf(c).equals(nameOf(p)))) chosen.add(p);
      }
      List<String> targets = folders.stream()
          .filter(f -> chosen.stream().noneMatch(c -> f.equals(c) || f.startsWith(c + "/") || f.equals(parentOf(c)))).toList();
      if (targets.isEmpty()) return list(ROOT);
      String into = pick(targets);
      boolean clash = chosen.stream().anyMatch(c -> model.containsKey(into + "/" + nameOf(c)));
      List<CopyProgressSeen> seen = new ArrayList<>();
      Op op = new Op("copyAll " + chosen + " -> " + into) {
        @Override Object apply(Drive d) {
          seen.clear();
          d.copyAll(chosen, into, p -> seen.add(new CopyProgressSeen(p.copied(), p.total())));
          return List.copyOf(seen);
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          for (String path : chosen) {
            String target = into + "/" + nameOf(path);
            for (Map.Entry<String, Item> x : b.entrySet()) {
              if (x.getKey().equals(path) || x.getKey().startsWith(path + "/")) a.put(target + x.getKey().substring(path.length()), x.getValue());
            }
          }
          return a;
        }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          @SuppressWarnings("unchecked") List<CopyProgressSeen> progress = (List<CopyProgressSeen>) r;
          CopyProgressSeen last = progress.isEmpty() ? null : progress.get(progress.size() - 1);
          return last != null && last.copied() == chosen.size() && last.total() == chosen.size() ? null
              : "copyAll succeeded but its last progress was " + last + ", not " + chosen.size() + " of " + chosen.size();
        }
      };
      if (clash) op.refusal = ErrorKind.ALREADY_EXISTS;
      op.requests = 8;
      return op;
    }

    record CopyProgressSeen(int copied, int total) {}

    private Op remove(List<String> entries) {
      String path = rnd.nextInt(10) == 0 ? ROOT + "/gone" + (++names) : pick(entries);
      Long id = ids.get(path);
      boolean trashing = drive.supports(Capability.TRASH);
      Op op = new Op("remove " + path) {
        @Override Object apply(Drive d) { return d.remove(path); }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          a.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
          if (trashing && id != null) {
            // To the trash, with everything below it (the tree the remove took away).
            String key = trashKey(id, ids.get(parentOf(path)), nameOf(path));
            for (Map.Entry<String, Item> x : b.entrySet()) {
              if (x.getKey().equals(path) || x.getKey().startsWith(path + "/")) a.put(key + x.getKey().substring(path.length()), x.getValue());
            }
          }
          return a;
        }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          boolean was = b.containsKey(path);
          return Boolean.valueOf(was).equals(r) ? null : "remove returned " + r + " though the entry " + (was ? "was" : "was not") + " there";
        }
      };
      op.repeatable = true;
      return op;
    }

    private Op get(String path) {
      Item item = model.get(path);
      Op op = new Op("get " + path) {
        @Override Object apply(Drive d) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          d.get(path, out);
          return out.toByteArray();
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          byte[] bytes = (byte[]) r;
          return md5(bytes).equals(item.md5()) ? null : "get read " + bytes.length + " bytes with MD5 " + md5(bytes) + ", not " + item;
        }
      };
      op.mayFailIntegrity = true;
      op.reads = true;
      op.download = true;
      return op;
    }

    private Op list(String folder) {
      Op op = new Op("list " + folder) {
        @Override Object apply(Drive d) {
          return d.ls(folder).stream().map(e -> e.path() + (e.folder() ? "/" : "")).sorted().toList();
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          List<String> want = b.entrySet().stream().filter(x -> !x.getKey().equals(ROOT) && parentOf(x.getKey()).equals(folder))
              .map(x -> x.getKey() + (x.getValue().folder() ? "/" : "")).sorted().toList();
          return want.equals(r) ? null : "ls " + folder + " gave " + r + " instead of " + want;
        }
      };
      op.reads = true;
      return op;
    }

    // ---------------------------------------------------------------- the store's tree

    /**
     * The store as the soak sees it: the live tree under {@link #ROOT} by path; every entry removed
     * directly into the trash from the soak's folder under {@code ~trash/<id>/<original folder
     * id>/<name>}, with what is below it; and {@code ~lost/<id>/<name>} for an entry once seen here
     * that now lives, or is trashed, anywhere else (a restore that put it at the account's root).
     */
    private SortedMap<String, Item> snapshot() {
      SortedMap<String, Item> tree = new TreeMap<>();
      tree.put(ROOT, Item.FOLDER);
      Map<String, Long> liveIds = new java.util.HashMap<>();
      liveIds.put(ROOT, soakFolder);
      walk(soakFolder, ROOT, tree, liveIds);
      ids = liveIds;
      for (Node n : store.allNodes(cfg.uid)) {
        boolean inside = inSoak(n);
        if (inside) known.add(n.id());
        if (inside && n.trashed()) {
          String key = trashKey(n.id(), n.parentId(), n.name());
          tree.put(key, item(n));
          if (n.folder()) walk(n.id(), key, tree, new java.util.HashMap<>());
        } else if (!inside && known.contains(n.id())) {
          tree.put("~lost/" + n.id() + "/" + n.name(), item(n));
        }
      }
      return tree;
    }

    private boolean inSoak(Node n) {
      long cur = n.parentId();
      for (int depth = 0; depth < 1000; depth++) {
        if (cur == soakFolder) return true;
        if (cur == FakeStore.ROOT) return false;
        java.util.Optional<Node> up = store.node(cfg.uid, cur);
        if (up.isEmpty()) return false;
        cur = up.get().parentId();
      }
      return false;
    }

    private static Item item(Node n) {
      return n.folder() ? Item.FOLDER : new Item(false, n.size(), n.md5().toLowerCase());
    }

    private void walk(long folder, String path, SortedMap<String, Item> tree, Map<String, Long> liveIds) {
      for (Node n : store.children(cfg.uid, folder, false)) {
        String p = path + "/" + n.name();
        if (tree.containsKey(p)) continue; // reported by duplicates()
        tree.put(p, item(n));
        liveIds.put(p, n.id());
        if (n.folder()) walk(n.id(), p, tree, liveIds);
      }
    }

    private String duplicates() {
      return duplicatesBelow(soakFolder, ROOT);
    }

    private String duplicatesBelow(long folder, String path) {
      Set<String> seen = new java.util.HashSet<>();
      for (Node n : store.children(cfg.uid, folder, false)) {
        if (!seen.add(n.name())) return path + "/" + n.name();
        if (n.folder()) {
          String d = duplicatesBelow(n.id(), path + "/" + n.name());
          if (d != null) return d;
        }
      }
      return null;
    }

    // ---------------------------------------------------------------- the trash

    /** The ids of the entries removed directly into the trash, as the model has them. */
    private static List<Long> trashed(SortedMap<String, Item> m) {
      List<Long> out = new ArrayList<>();
      for (String k : m.keySet()) {
        if (k.startsWith("~trash/") && k.split("/").length == 4) out.add(Long.parseLong(k.split("/")[1]));
      }
      return out;
    }

    /** The model's key of trashed entry {@code id}, or null. */
    private static String trashKeyOf(SortedMap<String, Item> m, long id) {
      String prefix = "~trash/" + id + "/";
      for (String k : m.tailMap(prefix).keySet()) {
        if (!k.startsWith(prefix)) break;
        if (k.split("/").length == 4) return k;
      }
      return null;
    }

    /** The live path of folder {@code id} in the model ({@link #ids}), or null. */
    private String livePathOf(long id) {
      for (Map.Entry<String, Long> x : ids.entrySet()) if (x.getValue() == id) return x.getKey();
      return null;
    }

    private Op trashList() {
      Set<Long> parentsLive = new java.util.HashSet<>(ids.values());
      Op op = new Op("trash ls") {
        @Override Object apply(Drive d) {
          try (Stream<io.github.pan4j.core.TrashedEntry> s = d.trash()) {
            return s.toList();
          }
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) { return b; }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          @SuppressWarnings("unchecked") List<io.github.pan4j.core.TrashedEntry> listed = (List<io.github.pan4j.core.TrashedEntry>) r;
          Set<Long> seen = new java.util.HashSet<>();
          for (io.github.pan4j.core.TrashedEntry t : listed) {
            long id = Long.parseLong(t.id());
            if (!known.contains(id)) continue; // not the soak's
            String key = trashKeyOf(b, id);
            if (key == null) return "the trash lists " + t + ", which is not in the trash";
            if (!seen.add(id)) return "the trash lists " + t + " twice";
            String[] k = key.split("/");
            if (!t.name().equals(k[3])) return "the trash lists " + t + " under another name than " + k[3];
            if (t.originalParentId() != null && !t.originalParentId().equals(k[2])) return "the trash lists " + t + " as from folder " + t.originalParentId() + ", not " + k[2];
          }
          for (long id : trashed(b)) {
            String[] k = trashKeyOf(b, id).split("/");
            // Every driver lists what was removed from a live folder (123open finds nothing else).
            if (parentsLive.contains(Long.parseLong(k[2])) && !seen.contains(id)) return "the trash does not list " + trashKeyOf(b, id) + ": " + listed;
          }
          return null;
        }
      };
      op.requests = 6;
      op.noTarget = true;
      op.reads = true;
      return op;
    }

    private Op restore(List<Long> trashed, List<String> folders) {
      List<Long> chosen = new ArrayList<>();
      chosen.add(pick(trashed));
      if (trashed.size() > 1 && rnd.nextInt(3) == 0) {
        long other = pick(trashed);
        if (!chosen.contains(other)) chosen.add(other);
      }
      String fallback = rnd.nextBoolean() ? pick(folders) : null;
      Long fallbackId = fallback == null ? null : ids.get(fallback);
      Set<Long> parentsLive = new java.util.HashSet<>(ids.values());
      List<String> idList = chosen.stream().map(String::valueOf).toList();
      Op op = new Op("restore " + idList + (fallback != null ? " else into " + fallback : "")) {
        /** Why the store's placement of the chosen entries is not one a restore may give, or null. */
        String wrong;

        @Override Object apply(Drive d) {
          return fallback == null ? d.restore(idList) : d.restore(idList, fallback);
        }

        /**
         * Where the store has each chosen entry now: still in the trash, or live in its original
         * folder (under its name, or a free name 123 chose when the name was taken) or in the
         * fallback folder. The model follows the store; what a restore may not do is noted in wrong.
         */
        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          wrong = null;
          RestoreResult result = (RestoreResult) r;
          SortedMap<String, Item> a = new TreeMap<>(b);
          for (long id : chosen) {
            String key = trashKeyOf(b, id);
            String[] k = key.split("/");
            long from = Long.parseLong(k[2]);
            String name = k[3];
            Node now = store.node(cfg.uid, id).orElse(null);
            String sid = String.valueOf(id);
            boolean stays = now != null && now.trashed() && now.parentId() == from && now.name().equals(name);
            if (stays) {
              if (result != null && !result.notRestored().containsKey(sid)) wrong = id + " is reported restored but is still in the trash";
              // Two trashed entries of one name from one folder (a file replaced under OVERWRITE, then
              // its successor removed): only one can come back, the other finds its name taken now.
              boolean takenNow = store.child(cfg.uid, from, name).filter(n -> n.id() != id).isPresent();
              if (result != null && parentsLive.contains(from) && !takenIn(b, livePathOf(from), name) && !takenNow) {
                wrong = id + " was not restored although its folder is there and its name is free";
              }
              continue;
            }
            if (now == null || store.isTrashed(now) || !inSoak(now)) {
              wrong = id + " is neither in the trash nor live in the soak's folders: " + now;
              continue;
            }
            String into = livePathOf(now.parentId());
            boolean home = now.parentId() == from;
            if (!home && (fallbackId == null || now.parentId() != fallbackId)) wrong = id + " was restored into " + into + ", neither its folder nor the fallback";
            if (!now.name().equals(name) && !takenIn(b, into, name)) wrong = id + " came back renamed to " + now.name() + " although its name was free";
            if (result != null && !(home ? result.restored() : result.relocated()).contains(sid)) {
              wrong = id + " is in " + into + " but the result says " + result;
            }
            a.keySet().removeIf(x -> x.equals(key) || x.startsWith(key + "/"));
            String path = into + "/" + now.name();
            for (Map.Entry<String, Item> x : b.entrySet()) {
              if (x.getKey().equals(key) || x.getKey().startsWith(key + "/")) a.put(path + x.getKey().substring(key.length()), x.getValue());
            }
          }
          return a;
        }

        @Override boolean isAfter(SortedMap<String, Item> b, SortedMap<String, Item> actual) {
          return actual.equals(after(b, null)) && wrong == null;
        }

        @Override String checkResult(SortedMap<String, Item> b, Object r) {
          after(b, r);
          return wrong;
        }
      };
      op.repeatable = true; // by contract: an entry already restored counts as restored
      // An entry that cannot go back to its folder goes into the fallback; when that holds its name
      // the drivers leave it in the trash and report it in notRestored (checked above). A name
      // taken between the driver's check and its move can still be refused with ALREADY_EXISTS.
      if (fallback != null) op.mayRefuse = ErrorKind.ALREADY_EXISTS;
      op.requests = 8;
      return op;
    }

    private boolean takenIn(SortedMap<String, Item> b, String folder, String name) {
      return folder != null && b.containsKey(folder + "/" + name);
    }

    private Op purge(List<Long> trashed, List<String> entries) {
      boolean liveOne = rnd.nextInt(8) == 0 && !entries.isEmpty();
      List<Long> chosen = new ArrayList<>();
      chosen.add(pick(trashed));
      if (trashed.size() > 1 && rnd.nextInt(3) == 0) {
        long other = pick(trashed);
        if (!chosen.contains(other)) chosen.add(other);
      }
      if (liveOne) chosen.add(ids.get(pick(entries)));
      // Purging a folder deletes what was trashed inside it before it, too.
      Set<Long> gone = new java.util.HashSet<>();
      for (long t : trashed) {
        long cur = t;
        for (int depth = 0; depth < 1000 && cur != soakFolder && cur != FakeStore.ROOT; depth++) {
          if (chosen.contains(cur)) {
            gone.add(t);
            break;
          }
          cur = store.node(cfg.uid, cur).map(Node::parentId).orElse(FakeStore.ROOT);
        }
      }
      List<String> idList = chosen.stream().map(String::valueOf).toList();
      Op op = new Op("purge " + idList + (liveOne ? " (the last is live)" : "")) {
        @Override Object apply(Drive d) {
          d.purge(idList);
          return null;
        }

        @Override SortedMap<String, Item> after(SortedMap<String, Item> b, Object r) {
          SortedMap<String, Item> a = new TreeMap<>(b);
          for (long id : gone) {
            String key = trashKeyOf(b, id);
            a.keySet().removeIf(x -> x.equals(key) || x.startsWith(key + "/"));
          }
          return a;
        }
      };
      if (liveOne) op.refusal = ErrorKind.INVALID_ARGUMENT;
      op.repeatable = true; // by contract: ids already gone are skipped
      op.requests = 6;
      return op;
    }

    // ---------------------------------------------------------------- helpers

    private byte[] content() {
      if (!recent.isEmpty() && rnd.nextInt(5) == 0) return recent.get(rnd.nextInt(recent.size())); // instant upload
      int size = rnd.nextInt(3) == 0 ? cfg.largeMin + rnd.nextInt(cfg.largeMax - cfg.largeMin + 1) : 1 + rnd.nextInt(cfg.smallMax);
      byte[] b = new byte[size];
      rnd.nextBytes(b);
      recent.add(b);
      contents.put(md5(b), b);
      return b;
    }

    private String freeChild(String parent, String prefix) {
      String p;
      do {
        p = parent + "/" + prefix + (++names);
      } while (model.containsKey(p));
      return p;
    }

    private <T> T pick(List<T> from) {
      return from.get(rnd.nextInt(from.size()));
    }

    private static SortedMap<String, Item> relocate(SortedMap<String, Item> b, String from, String to) {
      SortedMap<String, Item> a = new TreeMap<>();
      for (Map.Entry<String, Item> x : b.entrySet()) {
        String k = x.getKey();
        if (k.equals(from) || k.startsWith(from + "/")) a.put(to + k.substring(from.length()), x.getValue());
        else a.put(k, x.getValue());
      }
      return a;
    }

    private static boolean live(String key) {
      return key.startsWith(ROOT);
    }

    private static String trashKey(long id, Long parentId, String name) {
      return "~trash/" + id + "/" + parentId + "/" + name;
    }

    private static String parentOf(String p) {
      return p.substring(0, p.lastIndexOf('/'));
    }

    private static String nameOf(String p) {
      return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String diff(SortedMap<String, Item> want, SortedMap<String, Item> got) {
      StringBuilder sb = new StringBuilder();
      for (var x : want.entrySet()) {
        Item g = got.get(x.getKey());
        if (g == null) sb.append("  missing ").append(x.getKey()).append(" ").append(x.getValue()).append('\n');
        else if (!g.equals(x.getValue())) sb.append("  ").append(x.getKey()).append(" is ").append(g).append(", want ").append(x.getValue()).append('\n');
      }
      for (var x : got.entrySet()) {
        if (!want.containsKey(x.getKey())) sb.append("  extra ").append(x.getKey()).append(" ").append(x.getValue()).append('\n');
      }
      return sb.toString();
    }

    private static String brief(Object r) {
      if (r instanceof Entry e) return e.path();
      if (r instanceof byte[] b) return b.length + "B";
      return String.valueOf(r);
    }

    /** Whether {@code failure} is a DriveException that says the step may have taken effect. */
    private static boolean mayHaveTakenEffect(Throwable failure) {
      return failure instanceof DriveException e && e.mayHaveTakenEffect();
    }

    private static String describe(Throwable t) {
      if (t instanceof DriveException e) {
        String m = String.valueOf(e.getMessage());
        return e.kind() + (e.mayHaveTakenEffect() ? " (may have taken effect)" : "") + ": "
            + (m.length() > 160 ? m.substring(0, 160) + "…" : m);
      }
      return t.toString();
    }

    private void fail(String what, Throwable cause) {
      StringBuilder sb = new StringBuilder();
      sb.append("fault soak over ").append(drive.id()).append(", seed ").append(seed)
          .append(" (replay: -Dpan4j.soak.seed=").append(seed).append(" -Dpan4j.soak.steps=").append(cfg.steps).append("): ")
          .append(log.isEmpty() ? "" : log.get(log.size() - 1)).append("\n  ").append(what).append("\nsteps:\n");
      log.forEach(l -> sb.append("  ").append(l).append('\n'));
      throw new AssertionError(sb.toString(), cause);
    }
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private FaultSoak() {}
}
