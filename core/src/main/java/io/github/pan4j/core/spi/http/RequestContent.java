package io.github.pan4j.core.spi.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The body of an {@link ApiCall}. Bodies are recreated for every attempt, so a streamed body
 * re-reads its source and a retried request sends identical bytes.
 */
public abstract class RequestContent {
  RequestContent() {}

  /** Opens the bytes of a streamed body; called once per attempt. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /** Bytes with a content type (null: none). */
  public static RequestContent bytes(byte[] data, String contentType) {
    Objects.requireNonNull(data, "data");
    return new RequestContent() {
      @Override
      RequestBody toRequestBody() {
        return RequestBody.create(data, contentType == null ? null : MediaType.get(contentType));
      }
    };
  }

  /** UTF-8 JSON text already encoded. */
  public static RequestContent json(byte[] json) {
    return bytes(json, "application/json; charset=utf-8");
  }

  /** UTF-8 JSON text. */
  public static RequestContent json(String json) {
    return json(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code length} bytes streamed from {@code opener} (never held in memory); sent with a
   * {@code Content-Length}. The stream must yield exactly {@code length} bytes. Built inside a
   * {@link PartUploader.PartSender}, its bytes count towards the upload's progress as they are
   * written to the connection.
   */
  public static RequestContent stream(String contentType, long length, Opener opener) {
    Objects.requireNonNull(opener, "opener");
    if (length < 0) throw new IllegalArgumentException("length must not be negative but was " + length);
    return new RequestContent() {
      @Override
      RequestBody toRequestBody() {
        MediaType type = contentType == null ? null : MediaType.get(contentType);
        // Taken on the thread that builds the request (the part's sender); written on OkHttp's.
        SendMeter.PartMeter meter = PartUploader.SENDING.get();
        return new RequestBody() {
          @Override
          public MediaType contentType() {
            return type;
          }

          @Override
          public long contentLength() {
            return length;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            try (InputStream in = SourceReadFailure.open(opener)) {
              byte[] buf = new byte[64 * 1024];
              long left = length;
              while (left > 0) {
                int n = SourceReadFailure.read(in, buf, (int) Math.min(buf.length, left));
                if (n < 0) throw new SourceReadFailure("it ended " + left + " bytes early", null);
                sink.write(buf, 0, n);
                left -= n;
                // This write's bytes from the body's start: each writeTo (a resend too) counts from 0.
                if (meter != null) meter.reached(length - left);
              }
            }
          }
        };
      }
    };
  }

  /** A {@code multipart/form-data} body; it has a known length when every file part has one. */
  public static RequestContent multipart(List<FormPart> parts) {
    List<FormPart> copy = List.copyOf(parts);
    return new RequestContent() {
      @Override
      RequestBody toRequestBody() {
        MultipartBody.Builder b = new MultipartBody.Builder().setType(MultipartBody.FORM);
        for (FormPart p : copy) {
          if (p.content() == null) b.addFormDataPart(p.name(), p.value());
          else b.addFormDataPart(p.name(), p.value(), p.content().toRequestBody());
        }
        return b.build();
      }
    };
  }

  /**
   * One field of a multipart form.
   *
   * @param name the field name
   * @param value the field's text, or the file name of a file part
   * @param content the file part's content, or null for a text field
   */
  public record FormPart(String name, String value, RequestContent content) {
    public FormPart {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    public static FormPart field(String name, String value) {
      return new FormPart(name, value, null);
    }

    public static FormPart file(String name, String fileName, RequestContent content) {
      return new FormPart(name, fileName, Objects.requireNonNull(content, "content"));
    }
  }

  /** The OkHttp body for one attempt (engine-internal). */
  abstract RequestBody toRequestBody();
}
