import DriftCore
import DriftRecords
import DriftSources
import DriftTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The tailer with more matching files than it may hold open, and with matches that are not files to read.
@Suite struct TailerLimitsTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock()

    func append(_ name: String, _ text: String) throws {
        let path = dir.file(name)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try h.close()
    }

    func step(_ t: Tailer, advance seconds: Int64 = 0) throws -> [String] {
        clock.advance(seconds: seconds)
        var lines: [String] = []
        let deliver: (LineBatch) -> Void = { b in lines += b.lines.indices.map { b.text($0) } }
        t.scan()
        try t.pump(deliver)
        t.closeFinished { batch, _ in deliver(batch) }
        return lines
    }

    /// Every matched file stayed open forever: past the descriptor limit, files went unread and checkpoints
    /// failed. Now at most `maxOpenFiles` are open; the others are parked and read again as they grow.
    @Test func moreFilesThanMayBeOpenAreAllReadWithinTheLimit() throws {
        let t = Tailer(
            patterns: [.init(glob: dir.file("w*.jsonl"), startAtEnd: false)], maxLineBytes: 1 << 20,
            maxOpenFiles: 3, telemetry: quietTelemetry(), clock: clock.read)
        for i in 0..<10 { try append("w\(i).jsonl", "a\(i)\n") }
        #expect(Set(try step(t)) == Set((0..<10).map { "a\($0)" }))
        #expect(t.openCount <= 3)
        for i in 0..<10 { try append("w\(i).jsonl", "b\(i)\npartial\(i)") }
        #expect(Set(try step(t)) == Set((0..<10).map { "b\($0)" }), "each parked file read again from its position")
        #expect(t.openCount <= 3)
        for i in 0..<10 { try append("w\(i).jsonl", "-end\n") }
        #expect(Set(try step(t)) == Set((0..<10).map { "partial\($0)-end" }), "a line cut at parking is read whole")
        // A checkpoint of parked files resumes each where it was.
        let restarted = Tailer(
            patterns: t.patterns, maxLineBytes: 1 << 20, maxOpenFiles: 3,
            telemetry: quietTelemetry(), clock: clock.read)
        restarted.restore(t.state)
        for i in 0..<10 { try append("w\(i).jsonl", "c\(i)\n") }
        #expect(Set(try step(restarted)) == Set((0..<10).map { "c\($0)" }))
        #expect(restarted.openCount <= 3)
    }

    @Test func aQuietFileIsParkedAndReadWhenItGrows() throws {
        let t = Tailer(
            patterns: [.init(glob: dir.file("q.jsonl"), startAtEnd: false)], maxLineBytes: 1 << 20,
            telemetry: quietTelemetry(), clock: clock.read)
        try append("q.jsonl", "1\n")
        #expect(try step(t) == ["1"])
        #expect(try step(t, advance: 61).isEmpty)
        #expect(t.openCount == 0, "idle for a minute: closed")
        try append("q.jsonl", "2\n")
        #expect(try step(t) == ["2"])
        #expect(t.openCount == 1)
    }

    /// A FIFO matching the glob blocked `run` before any reading; a directory was retried forever.
    @Test func aFIFOADirectoryAndAnUnreadableFileMatchingTheGlobAreSkippedAndTheRestRead() throws {
        let telemetry = quietTelemetry()
        let t = Tailer(
            patterns: [.init(glob: dir.file("*.jsonl"), startAtEnd: false)], maxLineBytes: 1 << 20,
            telemetry: telemetry, clock: clock.read)
        #expect(mkfifo(dir.file("a-fifo.jsonl"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir.file("b-dir.jsonl"), withIntermediateDirectories: true)
        try append("c-closed.jsonl", "secret\n")
        #expect(chmod(dir.file("c-closed.jsonl"), 0) == 0)
        try append("d-good.jsonl", "1\n")
        let readable = access(dir.file("c-closed.jsonl"), R_OK) == 0  // root reads any file
        let first = try step(t)
        #expect(first.contains("1"))
        #expect(telemetry.counter("input_files_skipped_total") == (readable ? 2 : 3), "each logged once")
        try append("d-good.jsonl", "2\n")
        try append("e-new.jsonl", "3\n")
        #expect(Set(try step(t)) == ["2", "3"], "newer files are read")
        #expect(telemetry.counter("input_files_skipped_total") == (readable ? 2 : 3), "not logged again")
    }
}
