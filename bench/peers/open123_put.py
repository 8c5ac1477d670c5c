#!/usr/bin/env python3
"""A plain client of the 123 open platform's v2 upload, for comparing pan4j with another client.

It is what a script writer gets from 123's published upload guide with `requests` and `hashlib`,
and follows the usual open-source clients in their choices: the client-credential token; one read
of the file for the whole-file MD5 that `create` needs (instant upload); `create` with
`duplicate: 2`; the slices from 3 threads, each thread reading its slice, hashing it and posting it
as multipart/form-data with a Content-Length; then `upload_complete` asked every second, as the
guide says, until `completed` and a `fileID`. No pan4j code is involved.

    open123_put.py --api http://127.0.0.1:8123 --client-id ID --client-secret SECRET FILE NAME

The secret may also come from the environment (OPEN123_CLIENT_SECRET). Prints the new file id.
Exit status 0 on success, 1 with a message on stderr otherwise.
"""
import argparse
import concurrent.futures
import hashlib
import os
import sys
import threading
import time

import requests

BLOCK = 1 << 20
TIMEOUT = (10, 300)  # connect, read (seconds): a stalled server fails the run instead of hanging it


def envelope(reply, what):
    """The data of 123's {code, message, data} envelope, or an error naming the call."""
    if reply.status_code != 200:
        raise RuntimeError(f"{what}: HTTP {reply.status_code} {reply.text[:200]!r}")
    body = reply.json()
    if body.get("code") != 0:
        raise RuntimeError(f"{what}: code {body.get('code')} {body.get('message')!r}")
    return body.get("data")


class Client:
    def __init__(self, api, client_id, client_secret):
        self.api = api.rstrip("/")
        self.local = threading.local()  # a requests.Session per thread: sessions are not thread-safe
        self.headers = {"Platform": "open_platform"}
        data = envelope(self.http.post(self.api + "/api/v1/access_token", timeout=TIMEOUT,
                                       json={"clientID": client_id, "clientSecret": client_secret}), "access_token")
        self.headers["Authorization"] = "Bearer " + data["accessToken"]

    @property
    def http(self):
        s = getattr(self.local, "session", None)
        if s is None:
            s = self.local.session = requests.Session()
        s.headers.update(self.headers)
        return s

    def post(self, path, body, what, base=None):
        return envelope(self.http.post((base or self.api) + path, json=body, timeout=TIMEOUT), what)


def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            b = f.read(BLOCK)
            if not b:
                return h.hexdigest()
            h.update(b)


def send_slice(client, server, path, preupload_id, number, offset, length):
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    if len(data) != length:
        raise RuntimeError(f"slice {number}: the file got shorter")
    fields = {"preuploadID": (None, preupload_id), "sliceNo": (None, str(number)),
              "sliceMD5": (None, hashlib.md5(data).hexdigest()),
              "slice": (f"part{number}", data, "application/octet-stream")}
    # One slice is small enough to try again; the guide's server overwrites a slice sent twice.
    for attempt in range(3):
        try:
            envelope(client.http.post(server + "/upload/v2/file/slice", files=fields, timeout=TIMEOUT), f"slice {number}")
            return
        except (requests.ConnectionError, RuntimeError):
            if attempt == 2:
                raise
            time.sleep(1 + attempt)


def put(client, path, name, parent, threads):
    size = os.path.getsize(path)
    md5 = file_md5(path)
    created = client.post("/upload/v2/file/create", {"parentFileID": parent, "filename": name, "etag": md5,
                                                     "size": size, "duplicate": 2}, "create")
    if created.get("reuse") and created.get("fileID"):
        return created["fileID"]
    slice_size = int(created["sliceSize"])
    servers = created.get("servers") or envelope(client.http.get(client.api + "/upload/v2/file/domain", timeout=TIMEOUT), "domain")
    server = servers[0].rstrip("/")
    slices = [(n + 1, off, min(slice_size, size - off)) for n, off in enumerate(range(0, size, slice_size))] or [(1, 0, 0)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for done in [pool.submit(send_slice, client, server, path, created["preuploadID"], *s) for s in slices]:
            done.result()
    for _ in range(120):
        try:
            result = client.post("/upload/v2/file/upload_complete", {"preuploadID": created["preuploadID"]},
                                 "upload_complete")
            if result.get("completed") and result.get("fileID"):
                return result["fileID"]
        except RuntimeError as e:
            if "20103" not in str(e):  # "still verifying": ask again
                raise
        time.sleep(1)
    raise RuntimeError("upload_complete: not completed after 120 tries")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--api", required=True, help="API base URL, e.g. https://open-api.123pan.com")
    p.add_argument("--client-id", required=True)
    p.add_argument("--client-secret", default=os.environ.get("OPEN123_CLIENT_SECRET"))
    p.add_argument("--parent", type=int, default=0, help="parent folder id (0: the root)")
    p.add_argument("--threads", type=int, default=3)
    p.add_argument("file")
    p.add_argument("name")
    a = p.parse_args()
    if not a.client_secret:
        p.error("--client-secret or OPEN123_CLIENT_SECRET is needed")
    try:
        print(put(Client(a.api, a.client_id, a.client_secret), a.file, a.name, a.parent, a.threads))
    except (RuntimeError, requests.RequestException, OSError) as e:
        print(f"open123_put: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
