import DriftCore
import DriftRecords
import DriftSources
import DriftTestSupport
import DriftZstd
import Foundation
import Logging
import Testing

/// SourceReader on real files, checked against the `zstd` command-line tool.
@Suite struct SourceReaderTests {
    let dir = TemporaryDirectory()

    static func makeLines(_ n: Int, tag: String = "") -> [String] {
        (0..<n).map { #"{"ts":"2026-11-26T00:00:00Z","i":\#($0),"tag":"\#(tag)","pad":"\#(String(repeating: "p", count: $0 % 53))"}"# }
    }

    func read(_ path: String, maxLineBytes: Int = 1 << 20) throws -> (lines: [String], tooLong: Int, telemetry: Telemetry) {
        let telemetry = quietTelemetry()
        let reader = try SourceReader(path: path, maxLineBytes: maxLineBytes, batchLines: 17, telemetry: telemetry)
        var lines: [String] = []
        var tooLong = 0
        let deliver: (LineBatch) -> Void = { batch in
            for i in batch.lines.indices {
                if batch.lines[i].tooLong { tooLong += 1 } else { lines.append(batch.text(i)) }
            }
        }
        try reader.pump(deliver)
        reader.finish(deliver)
        return (lines, tooLong, telemetry)
    }

    /// Complete lines of what `zstd -dc` prints for the file (its last, unterminated piece is not a line).
    func zstdLines(_ path: String) throws -> (lines: [String], status: Int32) {
        let r = try runProcess(zstdCLI(), ["-dc", path])
        var bytes = r.stdout
        if let lastNewline = bytes.lastIndex(of: 0x0A) { bytes = Array(bytes[...lastNewline]) } else { bytes = [] }
        return (splitLines(bytes), r.status)
    }

    @Test func flushedBlocksAndManyFramesDecodeToWhatZstdPrints() throws {
        let lines = Self.makeLines(5000)
        let path = dir.file("app.jsonl.zst")
        try writeFile(path, zstdCompress(lines: lines, flushEvery: 4, frameLines: 300).bytes)
        let expected = try zstdLines(path)
        #expect(expected.status == 0)
        let got = try read(path)
        #expect(got.lines == expected.lines)
        #expect(got.lines == lines)
        #expect(got.telemetry.counter("zstd_frames_corrupt_total") == 0)
    }

    @Test func framesWrittenByTheZstdToolAndConcatenatedDecode() throws {
        let a = Self.makeLines(700, tag: "a")
        let b = Self.makeLines(300, tag: "b")
        try writeFile(dir.file("a.jsonl"), a.joined(separator: "\n") + "\n")
        try writeFile(dir.file("b.jsonl"), b.joined(separator: "\n") + "\n")
        for name in ["a", "b"] {
            let r = try runProcess(zstdCLI(), ["-q", "-f", "--check", dir.file("\(name).jsonl"), "-o", dir.file("\(name).zst")])
            #expect(r.status == 0)
        }
        let joined = try readFile(dir.file("a.zst")) + readFile(dir.file("b.zst"))
        try writeFile(dir.file("ab.jsonl.zst"), joined)
        let got = try read(dir.file("ab.jsonl.zst"))
        #expect(got.lines == a + b)
        #expect(got.lines == (try zstdLines(dir.file("ab.jsonl.zst")).lines))
    }

    @Test(arguments: [0.15, 0.5, 0.93])
    func aTruncatedLastFrameKeepsEveryLineDecodedBeforeTheCut(fraction: Double) throws {
        let lines = Self.makeLines(1200)
        let (bytes, starts) = zstdCompress(lines: lines, flushEvery: 2, frameLines: 400)
        let lastFrame = starts.last!
        let cut = lastFrame + Int(Double(bytes.count - lastFrame) * fraction)
        let path = dir.file("cut.jsonl.zst")
        try writeFile(path, Array(bytes[..<cut]))
        let expected = try zstdLines(path)
        #expect(expected.status != 0, "zstd itself reports the truncation")
        let got = try read(path)
        #expect(got.lines == expected.lines)
        #expect(got.lines.count >= 800, "the two complete frames are kept")
        #expect(got.lines == Array(lines.prefix(got.lines.count)))
        #expect(got.telemetry.counter("zstd_frames_truncated_total") == 1)
    }

    @Test func aFlushedButUnendedLastFrameGivesEveryFlushedLine() throws {
        let lines = Self.makeLines(130)
        let path = dir.file("open.jsonl.zst")
        // Every line is flushed, but the last frame (lines 100..<130) is never ended: a writer still running.
        try writeFile(path, zstdCompress(lines: lines, flushEvery: 1, frameLines: 100, endLastFrame: false).bytes)
        let got = try read(path)
        #expect(got.lines == lines)
        #expect(got.lines == (try zstdLines(path).lines))
        #expect(got.telemetry.counter("zstd_frames_truncated_total") == 1)
    }

    @Test func aFrameWithABrokenHeaderIsSkippedToTheNextFrame() throws {
        let lines = Self.makeLines(900)
        let (bytes, starts) = zstdCompress(lines: lines, flushEvery: 5, frameLines: 300)
        var broken = bytes
        for i in starts[1]..<(starts[1] + 4) { broken[i] = 0x00 }  // the second frame's magic
        let path = dir.file("broken.jsonl.zst")
        try writeFile(path, broken)
        let got = try read(path)
        #expect(got.lines == Array(lines[0..<300]) + Array(lines[600..<900]))
        #expect(got.telemetry.counter("zstd_frames_corrupt_total") == 1)
    }

    @Test func aFrameCorruptInsideIsSkippedAndTheLinesAroundItAreKept() throws {
        let lines = Self.makeLines(900)
        let (bytes, starts) = zstdCompress(lines: lines, flushEvery: 5, frameLines: 300)
        var broken = bytes
        let middle = (starts[1] + starts[2]) / 2
        for i in middle..<(middle + 64) { broken[i] = 0xFF }
        let path = dir.file("inside.jsonl.zst")
        try writeFile(path, broken)
        let got = try read(path)
        #expect(got.telemetry.counter("zstd_frames_corrupt_total") == 1)
        #expect(Array(got.lines.prefix(300)) == Array(lines[0..<300]))
        #expect(Array(got.lines.suffix(300)) == Array(lines[600..<900]))
        // What came out of the broken frame before the corruption was detected is a prefix of its lines.
        let middleLines = got.lines.dropFirst(300).dropLast(300)
        #expect(Array(middleLines) == Array(lines[300..<(300 + middleLines.count)]))
        #expect(middleLines.count < 300)
    }

    @Test func garbageBeforeTheFirstFrameIsSkipped() throws {
        let lines = Self.makeLines(50)
        let path = dir.file("garbage.jsonl.zst")
        try writeFile(path, Array("not a zstd header at all\n".utf8) + zstdCompress(lines: lines).bytes)
        let got = try read(path)
        #expect(got.lines == lines)
        #expect(got.telemetry.counter("zstd_frames_corrupt_total") == 1)
        #expect(got.telemetry.counter("zstd_bytes_skipped_total") == 25)
    }

    @Test func plainFilesWithCRLFAndNoFinalNewline() throws {
        let path = dir.file("plain.jsonl")
        try writeFile(path, "{\"a\":1}\r\n\n{\"a\":2}\n{\"a\":3}")
        let got = try read(path)
        #expect(got.lines == [#"{"a":1}"#, "", #"{"a":2}"#, #"{"a":3}"#])
    }

    @Test func overLongLinesAreMarkedAndTheLinesAroundThemKept() throws {
        let long = String(repeating: "z", count: 5000)
        let lines = ["first", long, "middle", long + long, "last"]
        let path = dir.file("long.jsonl.zst")
        try writeFile(path, zstdCompress(lines: lines, flushEvery: 1, frameLines: 2).bytes)
        let got = try read(path, maxLineBytes: 4096)
        #expect(got.lines == ["first", "middle", "last"])
        #expect(got.tooLong == 2)
    }
}
