#!/usr/bin/env python3
"""Prediction logs the way driftd reads them live (docs/writer-guide.md).

A drop-in for an inference server: zstd written in-process, a block flush every few lines and at least every
100 ms (so a tailer sees them within milliseconds, however slowly records come), a frame end every N lines
(points a reader can resume from), checksums on, and rotation by rename then create (never copy-and-truncate).
With several worker processes, give each its own file (docs/writer-guide.md: one file per worker).

    from zstd_writer import ZstdLogWriter
    log = ZstdLogWriter("/var/log/inference/app.jsonl.zst", rotate_bytes=256 << 20)
    log.write({"ts": "2026-11-26T10:00:00.123Z", "model": "fraud-v3", "features": {...}, "prediction": {...}})
    ...
    log.close()

Needs the `zstandard` package (Debian: python3-zstandard; PyPI: zstandard). Run as a script it writes
synthetic records, which the test suite uses to check that driftd follows it.
"""
import argparse
import datetime
import json
import os
import random
import threading
import time

import zstandard


class ZstdLogWriter:
    def __init__(self, path, level=3, flush_every=8, frame_lines=1000, rotate_lines=None, rotate_bytes=None,
                 flush_interval=0.1):
        self.path = path
        self.flush_every = flush_every
        self.flush_interval = flush_interval
        self.frame_lines = frame_lines
        self.rotate_lines = rotate_lines
        self.rotate_bytes = rotate_bytes
        self._compressor = zstandard.ZstdCompressor(level=level, write_checksum=True)
        self._lock = threading.Lock()  # one writer per file: servers with threads share it
        self._rotations = 0
        self._unflushed = 0  # lines written since the last flush
        self._closed = threading.Event()
        self._open()
        # A quiet server writes a line now and then: flush on a timer too, so no line waits for the next ones.
        if flush_interval:
            threading.Thread(target=self._flush_periodically, daemon=True).start()

    def _flush_periodically(self):
        while not self._closed.wait(self.flush_interval):
            with self._lock:
                if self._unflushed and not self._closed.is_set():
                    self._flush_block()

    def _open(self):
        self._file = open(self.path, "ab")
        self._stream = self._compressor.stream_writer(self._file, closefd=False)
        self._lines_in_frame = 0
        self._lines_in_file = 0

    def write(self, record):
        line = (json.dumps(record, separators=(",", ":"), allow_nan=False) + "\n").encode()
        with self._lock:
            self._stream.write(line)
            self._lines_in_frame += 1
            self._lines_in_file += 1
            self._unflushed += 1
            if self._lines_in_frame >= self.frame_lines:
                self._end_frame()
            elif self._lines_in_frame % self.flush_every == 0:
                self._flush_block()
            if (self.rotate_lines and self._lines_in_file >= self.rotate_lines) or (
                    self.rotate_bytes and self._file.tell() >= self.rotate_bytes):
                self._rotate()

    def _flush_block(self):
        self._stream.flush(zstandard.FLUSH_BLOCK)  # decodable now, frame still open
        self._file.flush()
        self._unflushed = 0

    def _end_frame(self):
        self._stream.flush(zstandard.FLUSH_FRAME)  # ends the frame with its checksum
        self._file.flush()
        self._lines_in_frame = 0
        self._unflushed = 0

    def _rotate(self):
        # End the frame, close, rename, then create the new file: a reader finishes the old file through its open
        # descriptor and never loses or repeats a line. (copytruncate would race the writer and lose lines.)
        self._finish_file()
        self._rotations += 1
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S")
        os.rename(self.path, f"{self.path}-{stamp}-{self._rotations:04d}")
        self._open()

    def _finish_file(self):
        # End the open frame, if any, then close the file. (Not the stream writer's close(), which would append an
        # empty frame after one just ended.)
        if self._lines_in_frame:
            self._end_frame()
        self._file.close()

    def close(self):
        with self._lock:
            self._closed.set()
            self._finish_file()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", required=True)
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--rotate-lines", type=int)
    ap.add_argument("--rate", type=float, default=100, help="records per second of event time")
    ap.add_argument("--pace", type=float, help="records per second of wall time")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flush-every", type=int, default=8, help="a block flush every N lines")
    ap.add_argument("--hold", type=float, default=0, help="seconds to keep the file open after the last record")
    ap.add_argument("--skew", type=float, default=0, help="seconds this writer's clock is ahead (negative: behind)")
    ap.add_argument("--start", default="2026-11-26T00:00:00+00:00", help="event time of the first record")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    log = ZstdLogWriter(args.output, rotate_lines=args.rotate_lines, flush_every=args.flush_every)
    start = datetime.datetime.fromisoformat(args.start) + datetime.timedelta(seconds=args.skew)
    began = time.monotonic()
    for i in range(args.records):
        ts = start + datetime.timedelta(seconds=i / args.rate)
        score = rng.random()
        log.write({
            "ts": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z",
            "model": "py-model",
            "features": {"x": round(rng.gauss(0, 1), 4), "color": rng.choice(["red", "green", "blue"])},
            "prediction": {"score": round(score, 4), "label": "yes" if score > 0.5 else "no"},
        })
        if args.pace and (ahead := began + (i + 1) / args.pace - time.monotonic()) > 0:
            time.sleep(ahead)
    time.sleep(args.hold)
    log.close()


if __name__ == "__main__":
    main()
