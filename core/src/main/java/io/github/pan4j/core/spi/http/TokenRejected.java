package io.github.pan4j.core.spi.http;

/**
 * Thrown by an {@link EnvelopeDecoder} when the server rejected the token the call carried. The
 * {@link ApiClient} then renews the token once and repeats the call once; a second rejection (or a
 * failed renewal) becomes an {@link io.github.pan4j.core.ErrorKind#UNAUTHENTICATED} error carrying
 * this rejection's code, message and trace id.
 */
public final class TokenRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String providerCode;
  private final String providerMessage;
  private final String traceId;

  public TokenRejected(String providerCode, String providerMessage, String traceId) {
    super("token rejected (provider code " + providerCode + ")", null, false, false);
    this.providerCode = providerCode;
    this.providerMessage = providerMessage;
    this.traceId = traceId;
  }

  public String providerCode() { return providerCode; }
  public String providerMessage() { return providerMessage; }
  public String traceId() { return traceId; }
}
