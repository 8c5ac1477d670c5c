package io.github.pan4j.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of pan4j. Unchecked, so it works in lambdas and JShell.
 *
 * <p>Besides the {@link #kind() kind} it carries which driver and operation failed, on which
 * target (path or id), whether a retry can help, and the provider's raw code, message and trace
 * id ({@code x-traceID}) for support tickets. The message is English and says what to do; the
 * provider's own (often Chinese) message is appended, never replaced.
 *
 * <p>A failed call that changes something (an upload, a mkdir, a move…) may still have been
 * carried out: {@link #mayHaveTakenEffect()} says so, for code to read; the message says it in
 * words for people. Those words are not part of the {@link #reason() reason}: the builder keeps them
 * apart ({@link Builder#mayHaveTakenEffect(String)}) and the message puts them after the reason
 * only while the flag is set, so a layer that restates a failure, clears the flag or says it more
 * precisely never has to edit the text of another layer.
 *
 * <p>Messages and fields never contain secrets.
 */
public class DriveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final String driverId;
  private final String operation;
  private final String target;
  private final boolean retryable;
  private final String providerCode;
  private final String providerMessage;
  private final String traceId;
  private final Duration retryAfter;
  private final boolean mayHaveTakenEffect;
  private final String effectWords;

  protected DriveException(Builder b) {
    super(render(b), b.cause);
    this.kind = b.kind;
    this.driverId = b.driverId;
    this.operation = b.operation;
    this.target = b.target;
    this.retryable = b.retryable;
    this.providerCode = b.providerCode;
    this.providerMessage = b.providerMessage;
    this.traceId = b.traceId;
    this.retryAfter = b.retryAfter;
    this.mayHaveTakenEffect = b.mayHaveTakenEffect;
    this.effectWords = b.effectWords;
  }

  /** Starts an exception of the given kind; {@link Builder#build()} picks the right subclass. */
  public static Builder builder(ErrorKind kind, String message) {
    return new Builder(kind, message);
  }

  /** Shorthand for an exception with only a kind and message. */
  public static DriveException of(ErrorKind kind, String message) {
    return builder(kind, message).build();
  }

  public ErrorKind kind() { return kind; }
  /** The driver id ({@code 123open}, …), or empty when the error is not driver-specific. */
  public Optional<String> driverId() { return Optional.ofNullable(driverId); }
  /** The operation name ({@code list}, {@code upload}, …). */
  public Optional<String> operation() { return Optional.ofNullable(operation); }
  /** The path or id the operation was working on. */
  public Optional<String> target() { return Optional.ofNullable(target); }
  /** True when the same call may succeed if repeated later. */
  public boolean retryable() { return retryable; }
  /** The provider's own error code, verbatim. */
  public Optional<String> providerCode() { return Optional.ofNullable(providerCode); }
  /** The provider's own error message, verbatim. */
  public Optional<String> providerMessage() { return Optional.ofNullable(providerMessage); }
  /** The provider's trace id (123: {@code x-traceID}). */
  public Optional<String> traceId() { return Optional.ofNullable(traceId); }
  /** How long the provider asked us to wait, when it said. */
  public Optional<Duration> retryAfter() { return Optional.ofNullable(retryAfter); }

  /**
   * True when the call that failed changes something and may nevertheless have been carried out
   * (in part or whole): its request reached the provider and the answer was lost, cut, garbled or
   * a gateway's error page, it was cancelled (an interrupt, the driver closed) after its request
   * was sent whole, or it did take effect and only what came after failed (reading the result
   * back, waiting for it to show). Before repeating such a call, look at what it would have
   * changed: a repeat of a call that is not idempotent (an upload, a mkdir, a copy, a share) may
   * make a second one, and a repeat of a rename or a move may fail with "not found" because the
   * first one went through. {@link #retryable()} says whether the failure itself may pass; this
   * says whether to look first.
   *
   * <p>False when the provider refused the call (a business error, a validation error), when the
   * call was stopped before its request was sent whole (an upload interrupted mid-body changed
   * nothing), and always for a call that only reads (a listing, a download, an info).
   */
  public boolean mayHaveTakenEffect() { return mayHaveTakenEffect; }

  /**
   * The bare message given to the builder: what happened, without the driver, operation and target
   * before it, the provider's code and trace id after it, or the words on whether it may have taken
   * effect ({@link Builder#mayHaveTakenEffect(String)}).
   */
  public String reason() { return baseMessage; }

  /**
   * A builder pre-filled with this exception's kind, reason and fields (not its cause), for
   * layers that add context: {@code e.toBuilder().operation("put").target("/a/b").cause(e).build()}
   * yields an exception of the same kind and subclass. The reason and the words on whether it may
   * have taken effect are carried apart, so the new exception says them once each, and
   * {@link Builder#reason(String)} or {@link Builder#mayHaveTakenEffect(String)} replaces one
   * without touching the other.
   */
  public Builder toBuilder() {
    Builder b = new Builder(kind, baseMessage != null ? baseMessage : String.valueOf(getMessage()))
        .driver(driverId).operation(operation).target(target).retryable(retryable)
        .providerCode(providerCode).providerMessage(providerMessage).traceId(traceId).retryAfter(retryAfter)
        .mayHaveTakenEffect(mayHaveTakenEffect);
    b.effectWords = effectWords;
    return b;
  }

  private String baseMessage;

  private static String render(Builder b) {
    StringBuilder s = new StringBuilder();
    if (b.driverId != null) s.append(b.driverId).append(": ");
    if (b.operation != null) {
      s.append(b.operation);
      if (b.target != null) s.append(' ').append(b.target);
      s.append(": ");
    } else if (b.target != null) {
      s.append(b.target).append(": ");
    }
    s.append(b.message);
    if (b.mayHaveTakenEffect && b.effectWords != null) s.append("; ").append(b.effectWords);
    if (b.providerCode != null || b.providerMessage != null) {
      s.append(" (provider");
      if (b.providerCode != null) s.append(" code ").append(b.providerCode);
      if (b.providerMessage != null) s.append(": ").append(b.providerMessage);
      s.append(')');
    }
    if (b.traceId != null) s.append(" [trace ").append(b.traceId).append(']');
    return s.toString();
  }

  /** Builder for {@link DriveException}; every field but kind and message is optional. */
  public static final class Builder {
    private final ErrorKind kind;
    private String message;
    private String driverId;
    private String operation;
    private String target;
    private Boolean retryableSet;
    private boolean retryable;
    private String providerCode;
    private String providerMessage;
    private String traceId;
    private Duration retryAfter;
    private boolean mayHaveTakenEffect;
    private String effectWords;
    private Throwable cause;

    private Builder(ErrorKind kind, String message) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.message = Objects.requireNonNull(message, "message");
    }

    public Builder driver(String driverId) { this.driverId = driverId; return this; }
    public Builder operation(String operation) { this.operation = operation; return this; }
    public Builder target(String target) { this.target = target; return this; }
    public Builder retryable(boolean retryable) { this.retryableSet = true; this.retryable = retryable; return this; }
    public Builder providerCode(Object code) { this.providerCode = code == null ? null : String.valueOf(code); return this; }
    public Builder providerMessage(String message) { this.providerMessage = message; return this; }
    public Builder traceId(String traceId) { this.traceId = traceId == null || traceId.isEmpty() ? null : traceId; return this; }
    public Builder retryAfter(Duration retryAfter) { this.retryAfter = retryAfter; return this; }
    /**
     * Replaces the reason (what happened), keeping everything else, such as the words on whether
     * it may have taken effect: {@code e.toBuilder().reason(e.reason() + "; then …")}.
     */
    public Builder reason(String reason) { this.message = Objects.requireNonNull(reason, "reason"); return this; }

    /**
     * See {@link DriveException#mayHaveTakenEffect()}; false unless set. Setting it keeps the
     * words given with {@link #mayHaveTakenEffect(String)}, if any (else the reason is expected
     * to say it); clearing it drops them, so the message no longer says it.
     */
    public Builder mayHaveTakenEffect(boolean v) {
      this.mayHaveTakenEffect = v;
      if (!v) this.effectWords = null;
      return this;
    }

    /**
     * Sets {@link DriveException#mayHaveTakenEffect()} and says it in {@code how}, in place of
     * any words given before: what may have happened and what to look at before repeating the
     * call, e.g. {@code "the request may have reached 123 and created the share, so look at the
     * shares before trying again"}. The message puts them after the reason, following "; ".
     */
    public Builder mayHaveTakenEffect(String how) {
      this.effectWords = Objects.requireNonNull(how, "how");
      this.mayHaveTakenEffect = true;
      return this;
    }

    /**
     * Takes the provider's code, message and trace id from {@code failure}: for a failure told
     * again in other words (a different kind, reason or advice) that must keep what the provider
     * said. Use {@link #cause} to keep {@code failure} itself.
     */
    public Builder providerFrom(DriveException failure) {
      this.providerCode = failure.providerCode;
      this.providerMessage = failure.providerMessage;
      this.traceId = failure.traceId;
      return this;
    }
    public Builder cause(Throwable cause) { this.cause = cause; return this; }

    /** Builds the matching subclass for kinds that have one, else a plain DriveException. */
    public DriveException build() {
      if (retryableSet == null) {
        retryable = kind == ErrorKind.RATE_LIMITED || kind == ErrorKind.NETWORK;
      }
      DriveException e = switch (kind) {
        case NOT_FOUND -> new NotFoundException(this);
        case ALREADY_EXISTS -> new AlreadyExistsException(this);
        case UNAUTHENTICATED, VERIFICATION_REQUIRED, DEVICE_LIMIT -> new AuthenticationException(this);
        case RATE_LIMITED -> new RateLimitedException(this);
        case UNSUPPORTED -> new UnsupportedException(this);
        default -> new DriveException(this);
      };
      e.baseMessage = message;
      return e;
    }
  }
}
