import DriftCore
import DriftRecords
import DriftSources
import DriftTestSupport
import DriftZstd
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Inputs that are not what a glob expects, and zstd frames that ask for too much memory.
@Suite struct HostileSourceTests {
    let dir = TemporaryDirectory()

    func lines(_ n: Int) -> String {
        (0..<n).map { #"{"ts":"2026-11-26T10:00:00Z","features":{"x":\#($0)}}"# }.joined(separator: "\n") + "\n"
    }

    func readAll(_ reader: SourceReader) throws -> Int {
        var n = 0
        let deliver: (LineBatch) -> Void = { n += $0.lines.count }
        try reader.pump(deliver)
        reader.finish(deliver)
        return n
    }

    /// `zstd --long=28` on a stream declares a 256 MiB window, which zstd itself does not decode by default.
    /// The default limit skips the frame with a message that says what to raise; raised, the file is read.
    @Test func aFrameAboveTheWindowLimitIsSkippedWithAClearCountAndReadOnceTheLimitIsRaised() throws {
        try writeFile(dir.file("plain.jsonl"), lines(200))
        let compressed = try runProcess(zstdCLI(), ["--long=28", "-c"], stdinFile: dir.file("plain.jsonl"))
        #expect(compressed.status == 0)
        try writeFile(dir.file("long.jsonl.zst"), compressed.stdout)
        let telemetry = quietTelemetry()
        let capped = try SourceReader(path: dir.file("long.jsonl.zst"), telemetry: telemetry)
        #expect(try readAll(capped) == 0)
        #expect(telemetry.counter("zstd_frames_window_too_large_total") == 1)
        #expect(telemetry.counter("zstd_frames_corrupt_total") == 0, "valid zstd, not corruption")
        let raised = try SourceReader(
            path: dir.file("long.jsonl.zst"), maxZstdWindow: 256 << 20, telemetry: quietTelemetry())
        #expect(try readAll(raised) == 200)
    }

    /// A FIFO matching a glob blocked `run` in `open()` before it read anything, and SIGTERM was ignored.
    @Test func aFIFOIsRefusedWithoutBlockingWhenOnlyRegularFilesAreWanted() throws {
        let fifo = dir.file("pipe.jsonl")
        #expect(mkfifo(fifo, 0o644) == 0)
        let started = Telemetry.monotonicNanoseconds()
        do {
            _ = try SourceReader(path: fifo, regularOnly: true, telemetry: quietTelemetry())
            Issue.record("a FIFO was opened as a regular file")
        } catch {
            #expect(error.message.contains("is a FIFO, not a regular file"))
        }
        #expect(Telemetry.monotonicNanoseconds() - started < 1_000_000_000, "open did not wait for a writer")
        #expect(FileIdentity.of(path: fifo) == nil, "no identity for a FIFO, and no blocking")
    }

    @Test func aDirectoryIsRefusedWithItsKind() throws {
        try FileManager.default.createDirectory(atPath: dir.file("d.jsonl"), withIntermediateDirectories: true)
        do {
            _ = try SourceReader(path: dir.file("d.jsonl"), telemetry: quietTelemetry())
            Issue.record("a directory was opened as an input")
        } catch {
            #expect(error.message.contains("is a directory, not a regular file"))
        }
    }

    /// A pipe named on the command line (`replay <(zstd -dc f)`) is read as a stream.
    @Test func aPipeNamedOnTheCommandLineIsReadAsAStream() throws {
        let fifo = dir.file("named.jsonl")
        #expect(mkfifo(fifo, 0o644) == 0)
        let text = lines(50)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let reader = try SourceReader(path: fifo, telemetry: quietTelemetry())
        #expect(try readAll(reader) == 50)
    }
}

/// The Python writer example of docs/writer-guide.md, as a real process.
@Suite struct PythonWriterTests {
    let dir = TemporaryDirectory()

    /// A quiet server writes a line now and then: the writer flushes on a timer too (every 100 ms), so lines do
    /// not wait for the next few to reach a tailer. Three lines, a flush every 1,000: read within a second, while
    /// the writer still holds its frame open.
    @Test func aFewLinesAreReadableWithinMillisecondsWhileTheFrameIsOpen() throws {
        let python = "/usr/bin/python3"
        try #require(try runProcess(python, ["-c", "import zstandard"]).status == 0, "run scripts/setup")
        let writer = try startProcess(
            python,
            [
                packageRoot() + "/Deploy/writers/zstd_writer.py", "--output", dir.file("w.jsonl.zst"), "--records", "3",
                "--flush-every", "1000", "--hold", "5",
            ])
        defer { if writer.isRunning { writer.terminate() } }
        var lines = 0
        let read = waitFor(3) {
            guard let reader = try? SourceReader(path: dir.file("w.jsonl.zst"), telemetry: quietTelemetry()) else {
                return false
            }
            lines = 0
            _ = try? reader.pump { lines += $0.lines.count }
            return lines == 3 && reader.isInsideFrame
        }
        #expect(read, "\(lines) lines read before the frame ended")
        #expect(writer.isRunning, "the writer still holds the frame open")
    }
}
