package io.github.pan4j.driver.open123;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-endpoint QPS tables. Official tables disagree (docs/protocol/123open.md §5); these take the 2025-10 "开发须知"
 * free/VIP columns (§5.1) and fill the upload endpoints from the customer-service confirmed values
 * rclone uses (§5.6) and the per-uid table (§5.4), choosing the lower figure where sources differ.
 * Endpoints absent here are not paced (the upload server's {@code slice}).
 */
final class Open123Limits {
  static final String USER_INFO = "api/v1/user/info";
  static final String ACCESS_TOKEN = "api/v1/access_token";
  static final String OAUTH_TOKEN = "api/v1/oauth2/access_token";
  static final String LIST = "api/v2/file/list";
  static final String DETAIL = "api/v1/file/detail";
  static final String MKDIR = "upload/v1/file/mkdir";
  static final String RENAME = "api/v1/file/name";
  static final String MOVE = "api/v1/file/move";
  static final String TRASH = "api/v1/file/trash";
  static final String DELETE = "api/v1/file/delete";
  /** recover and recover/by_path: no table gives a limit (docs/protocol/123open.md §5); not paced, 429 is honoured. */
  static final String RECOVER = "api/v1/file/recover";
  static final String RECOVER_BY_PATH = "api/v1/file/recover/by_path";
  static final String INFOS = "api/v1/file/infos";
  static final String COPY = "api/v1/file/copy";
  static final String ASYNC_COPY = "api/v1/file/async/copy";
  static final String ASYNC_COPY_PROCESS = "api/v1/file/async/copy/process";
  static final String DOWNLOAD_INFO = "api/v1/file/download_info";
  static final String DIRECT_LINK_URL = "api/v1/direct-link/url";
  static final String CREATE = "upload/v2/file/create";
  static final String SHA1_REUSE = "upload/v2/file/sha1_reuse";
  static final String SLICE = "upload/v2/file/slice";
  static final String COMPLETE = "upload/v2/file/upload_complete";
  static final String DOMAIN = "upload/v2/file/domain";
  /** The single-step upload on the upload host: in no QPS table (docs/protocol/123open.md §5); not paced, 429 is honoured. */
  static final String SINGLE = "upload/v2/file/single/create";
  /** Not paced: rclone's confirmed table says unlimited (§5.6). */
  static final String SHARE_CREATE = "api/v1/share/create";
  /** 10 QPS in the older per-client table (§5.3), the only one that lists it. */
  static final String SHARE_LIST = "api/v1/share/list";
  static final String OFFLINE = "api/v1/offline/download";
  static final String OFFLINE_PROCESS = "api/v1/offline/download/process";
  static final String CREATE_V1 = "upload/v1/file/create";
  static final String UPLOAD_URL_V1 = "upload/v1/file/get_upload_url";
  static final String LIST_PARTS_V1 = "upload/v1/file/list_upload_parts";
  static final String COMPLETE_V1 = "upload/v1/file/upload_complete";
  static final String ASYNC_RESULT_V1 = "upload/v1/file/upload_async_result";

  private Open123Limits() {}

  static Map<String, Double> free() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(USER_INFO, 10.0);
    m.put(ACCESS_TOKEN, 8.0);
    m.put(OAUTH_TOKEN, 1.0);
    m.put(LIST, 5.0);
    m.put(DETAIL, 10.0);
    m.put(INFOS, 10.0);
    m.put(MKDIR, 5.0);
    m.put(RENAME, 5.0);
    m.put(MOVE, 3.0);
    m.put(TRASH, 5.0);
    m.put(DELETE, 1.0);
    m.put(COPY, 1.0);
    m.put(DOWNLOAD_INFO, 2.0);
    m.put(DIRECT_LINK_URL, 5.0);
    m.put(CREATE, 1.0);
    m.put(SHA1_REUSE, 1.0);
    m.put(COMPLETE, 5.0);
    m.put(DOMAIN, 1.0);
    m.put(SHARE_LIST, 10.0);
    // Offline download is in no official table; OpenList paces it at 1 and 5 per second.
    m.put(OFFLINE, 1.0);
    m.put(OFFLINE_PROCESS, 5.0);
    // v1 upload: the older per-client table (create 2) and the OAuth-app table (the rest).
    m.put(CREATE_V1, 2.0);
    m.put(UPLOAD_URL_V1, 20.0);
    m.put(LIST_PARTS_V1, 20.0);
    m.put(COMPLETE_V1, 20.0);
    m.put(ASYNC_RESULT_V1, 5.0);
    return m;
  }

  static Map<String, Double> vip() {
    Map<String, Double> m = free();
    m.put(LIST, 10.0);
    m.put(MKDIR, 20.0);
    m.put(ACCESS_TOKEN, 10.0);
    m.put(RENAME, 10.0);
    m.put(MOVE, 10.0);
    m.put(TRASH, 10.0);
    m.put(DELETE, 10.0);
    m.put(COPY, 5.0);
    m.put(DOWNLOAD_INFO, 5.0);
    m.put(CREATE, 20.0);
    m.put(SHA1_REUSE, 5.0);
    m.put(COMPLETE, 20.0);
    m.put(CREATE_V1, 5.0);
    return m;
  }
}
