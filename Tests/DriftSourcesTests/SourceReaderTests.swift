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
        (0..<n).map {
            #"{"ts":"2026-11-26T00:00:00Z","i":\#($0),"tag":"\#(tag)","pad":"\#(String(repeating: "p", count: $0 % 53))"}"#
        }
    }

    func read(_ path: String, maxLineBytes: Int = 1 << 20) throws -> (
        lines: [String], tooLong: Int, telemetry: Telemetry
    ) {
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
            let r = try runProcess(
                zstdCLI(), ["-q", "-f", "--check", dir.file("\(name).jsonl"), "-o", dir.file("\(name).zst")])
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

/// Resuming from the position a batch carries gives every line exactly once.
@Suite struct SourcePositionTests {
    let dir = TemporaryDirectory()

    /// Frames cut at arbitrary byte offsets, so lines span frames, with block flushes in between.
    static func zstdCutAnywhere(_ text: [UInt8], cuts: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        for cut in cuts.sorted() + [text.count] where cut > start {
            let encoder = ZstdEncoder()
            let middle = (start + cut) / 2
            encoder.write(Array(text[start..<middle]), mode: .flush, into: &out)
            encoder.write(Array(text[middle..<cut]), mode: .end, into: &out)
            start = cut
        }
        return out
    }

    func readAll(_ path: String, from position: SourcePosition?, batchLines: Int) throws -> (
        lines: [String], positions: [SourcePosition]
    ) {
        let reader = try SourceReader(path: path, batchLines: batchLines, resume: position, telemetry: quietTelemetry())
        var lines: [String] = []
        var positions: [SourcePosition] = []
        let deliver: (LineBatch) -> Void = { batch in
            lines += batch.lines.indices.map { batch.text($0) }
            positions.append(batch.resume)
        }
        try reader.pump(deliver)
        reader.finish(deliver)
        return (lines, positions)
    }

    @Test(arguments: ["zst", "jsonl"])
    func resumingAtAnyBatchPositionReadsEachLineOnce(_ kind: String) throws {
        let lines = (0..<300).map { #"{"i":\#($0),"pad":"\#(String(repeating: "q", count: $0 % 41))"}"# }
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        var rng = SeededGenerator(seed: 31)
        let cuts = (0..<12).map { _ in Int(rng.unit() * Double(text.count)) }
        let path = dir.file("resume.\(kind)")
        try writeFile(path, kind == "zst" ? Self.zstdCutAnywhere(text, cuts: cuts) : text)
        let whole = try readAll(path, from: nil, batchLines: 7)
        #expect(whole.lines == lines)
        for (i, position) in whole.positions.enumerated() {
            let rest = try readAll(path, from: position, batchLines: 5)
            let before = whole.lines.count - rest.lines.count
            #expect(Array(whole.lines.prefix(before)) + rest.lines == lines, "resume after batch \(i) at \(position)")
            #expect(Int64(before) == position.line)
        }
    }

    @Test func startAtEndSkipsWhatIsThereAndReadsWhatComes() throws {
        let path = dir.file("live.jsonl")
        try writeFile(path, "old 1\nold 2\npartial")
        let reader = try SourceReader(path: path, startAtEnd: true, telemetry: quietTelemetry())
        var lines: [String] = []
        let deliver: (LineBatch) -> Void = { b in lines += b.lines.indices.map { b.text($0) } }
        try reader.pump(deliver)
        #expect(lines.isEmpty)
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(" line\nnew 1\n".utf8))
        try handle.close()
        try reader.pump(deliver)
        #expect(lines == ["partial line", "new 1"], "a line begun before the start is read once it ends")
    }

    @Test func aFileGrowingInsideAFrameIsReadAsFarAsItWasFlushed() throws {
        let path = dir.file("growing.jsonl.zst")
        let encoder = ZstdEncoder()
        var bytes: [UInt8] = []
        encoder.write(Array("a\nb\n".utf8), mode: .flush, into: &bytes)
        try writeFile(path, bytes)
        let reader = try SourceReader(path: path, telemetry: quietTelemetry())
        var lines: [String] = []
        let deliver: (LineBatch) -> Void = { b in lines += b.lines.indices.map { b.text($0) } }
        try reader.pump(deliver)
        #expect(lines == ["a", "b"])
        #expect(reader.isInsideFrame)
        var more: [UInt8] = []
        encoder.write(Array("c\nd".utf8), mode: .flush, into: &more)
        encoder.write(Array("\n".utf8), mode: .end, into: &more)
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(more.prefix(more.count / 2)))  // half of the rest: a block cut in the middle
        try reader.pump(deliver)
        handle.write(Data(more.dropFirst(more.count / 2)))
        try handle.close()
        try reader.pump(deliver)
        #expect(lines == ["a", "b", "c", "d"])
        #expect(!reader.isInsideFrame)
    }

    @Test func restartingFromTheBeginningAfterATruncation() throws {
        let path = dir.file("trunc.jsonl")
        try writeFile(path, "one\ntwo\n")
        let reader = try SourceReader(path: path, telemetry: quietTelemetry())
        var lines: [String] = []
        var last = SourcePosition.start
        let deliver: (LineBatch) -> Void = { b in
            lines += b.lines.indices.map { b.text($0) }
            last = b.resume
        }
        try reader.pump(deliver)
        try writeFile(path, "three\n")  // truncated and rewritten in place
        reader.restartFromBeginning()
        try reader.pump(deliver)
        #expect(lines == ["one", "two", "three"])
        #expect(last.frameOffset == 6 && last.decompressedOffset == 14, "file offsets restart, stream offsets go on")
    }
}
