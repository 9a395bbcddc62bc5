import DriftCore
import DriftRecords
import DriftSources
import DriftTestSupport
import DriftZstd
import Foundation
import Testing

/// The tailer on real files, with real renames, truncations and deletions.
@Suite struct TailerTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock()

    func tailer(_ glob: String = "app.jsonl*", startAtEnd: Bool = false) -> Tailer {
        Tailer(
            patterns: [.init(glob: dir.file(glob), startAtEnd: startAtEnd)], maxLineBytes: 1 << 20,
            rotateWait: .seconds(5), telemetry: quietTelemetry(), clock: clock.read)
    }

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

    /// scan + pump + closeFinished, returning the lines delivered.
    func step(_ t: Tailer, advance seconds: Int64 = 0) throws -> [String] {
        clock.advance(seconds: seconds)
        var lines: [String] = []
        let deliver: (LineBatch) -> Void = { b in lines += b.lines.indices.map { b.text($0) } }
        t.scan()
        try t.pump(deliver)
        t.closeFinished { batch, _ in deliver(batch) }
        return lines
    }

    @Test func rotationByRenameToAMatchingNameReadsEachLineOnce() throws {
        let t = tailer()
        try append("app.jsonl", "1\n2\n")
        #expect(try step(t) == ["1", "2"])
        try append("app.jsonl", "3\n")
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl"), toPath: dir.file("app.jsonl.1"))
        try append("app.jsonl.1", "4\n")  // the writer had not reopened yet
        try append("app.jsonl", "5\n")
        #expect(try step(t) == ["3", "4", "5"], "the rotated file first, to its end, then the new one")
        #expect(t.followedPaths == [dir.file("app.jsonl.1"), dir.file("app.jsonl")])
        #expect(try step(t, advance: 6).isEmpty)
        #expect(t.followedPaths == [dir.file("app.jsonl")], "closed after the rotation wait at its end")
        #expect(try step(t, advance: 60).isEmpty, "the closed rotated file is not read again")
    }

    @Test func rotationToANonMatchingNameAndDeletionAreReadToTheEnd() throws {
        let t = tailer()
        try append("app.jsonl", "a\n")
        _ = try step(t)
        try append("app.jsonl", "b\n")
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl"), toPath: dir.file("old.log"))
        try append("old.log", "c\n")
        try append("app.jsonl", "d\n")
        #expect(try step(t) == ["b", "c", "d"])
        try append("app.jsonl", "e\n")
        try FileManager.default.removeItem(atPath: dir.file("app.jsonl"))
        #expect(try step(t) == ["e"], "a deleted file is read to its end through the open descriptor")
        _ = try step(t, advance: 6)
        #expect(t.followedPaths.isEmpty)
    }

    @Test func truncationInPlaceIsReadFromTheStart() throws {
        let t = tailer()
        try append("app.jsonl", "one\ntwo\n")
        _ = try step(t)
        let h = FileHandle(forWritingAtPath: dir.file("app.jsonl"))!
        h.truncateFile(atOffset: 0)
        try h.close()
        try append("app.jsonl", "x\n")
        #expect(try step(t) == ["x"])
    }

    @Test func aFileRewrittenInPlaceWithoutShrinkingIsDetectedByItsFingerprint() throws {
        let t = tailer()
        try append("app.jsonl", "first line\n")
        _ = try step(t)
        try writeFile(dir.file("app.jsonl"), "other content, longer than before\n")  // same inode, new bytes
        #expect(try step(t) == ["other content, longer than before"])
    }

    @Test func aFileReplacedByANewOneAtTheSamePath() throws {
        let t = tailer()
        try append("app.jsonl", "old\n")
        _ = try step(t)
        try writeFile(dir.file("app.jsonl.tmp"), "new\n")
        _ = rename(dir.file("app.jsonl.tmp"), dir.file("app.jsonl"))  // atomic replace: a new inode
        #expect(try step(t) == ["new"])
    }

    @Test func startAtEndAppliesToFilesFoundAtFirstStartOnly() throws {
        try append("app.jsonl", "before\n")
        let t = tailer(startAtEnd: true)
        #expect(try step(t).isEmpty)
        try append("app.jsonl", "after\n")
        try append("app.jsonl.2", "new file\n")
        #expect(try step(t) == ["after", "new file"])
    }

    @Test func aCheckpointResumesByIdentityUnderANewName() throws {
        let t = tailer()
        try append("app.jsonl", "1\n2\n")
        _ = try step(t)
        let state = t.state
        try append("app.jsonl", "3\n")
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl"), toPath: dir.file("app.jsonl.1"))
        try append("app.jsonl", "4\n")
        let restarted = tailer()
        restarted.restore(state)
        #expect(try step(restarted) == ["3", "4"])
    }

    @Test func aReusedInodeIsNotTakenForTheCheckpointedFile() throws {
        let t = tailer()
        try append("app.jsonl", "checkpointed content\n")
        _ = try step(t)
        var state = t.state
        // The file is deleted and a new one happens to get the same inode: simulate by rewriting the state's
        // fingerprint, which is what a different file on the same inode looks like.
        state.files[0].identity.fingerprint = Array("something else entirely".utf8)
        let restarted = tailer()
        restarted.restore(state)
        #expect(try step(restarted) == ["checkpointed content"], "read as a new file, from its start")
    }

    @Test func filesAlreadyFinishedAreRememberedAcrossACheckpoint() throws {
        let t = tailer()
        try append("app.jsonl", "a\n")
        _ = try step(t)
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl"), toPath: dir.file("app.jsonl.1"))
        try append("app.jsonl", "b\n")
        #expect(try step(t) == ["b"])
        _ = try step(t, advance: 6)
        let restarted = tailer()
        restarted.restore(t.state)
        #expect(try step(restarted).isEmpty, "neither the finished rotated file nor the live one is read again")
    }

    /// A writer that crashed inside a frame, then a new writer: the crashed file's decoded lines are kept, its cut
    /// frame is reported when the file is let go, and the new file is read.
    @Test func aWriterCrashingMidFrameFollowedByANewFile() throws {
        let telemetry = quietTelemetry()
        let t = Tailer(
            patterns: [.init(glob: dir.file("app.jsonl.zst*"), startAtEnd: false)], maxLineBytes: 1 << 20,
            rotateWait: .seconds(5), telemetry: telemetry, clock: clock.read)
        let encoder = ZstdEncoder()
        var bytes: [UInt8] = []
        encoder.write(Array("one\ntwo\n".utf8), mode: .flush, into: &bytes)
        encoder.write(Array("thr".utf8), mode: .flush, into: &bytes)  // the crash: no newline, no frame end
        try writeFile(dir.file("app.jsonl.zst"), bytes)
        #expect(try step(t) == ["one", "two"])
        // The restarted writer rotates the old file away and starts a new one.
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl.zst"), toPath: dir.file("app.jsonl.zst-crashed"))
        try writeFile(dir.file("app.jsonl.zst"), zstdCompress(lines: ["after restart"]).bytes)
        #expect(try step(t) == ["after restart"])
        _ = try step(t, advance: 6)
        #expect(t.followedPaths == [dir.file("app.jsonl.zst")])
        #expect(telemetry.counter("zstd_frames_truncated_total") == 1)
    }

    @Test func aWriterRestartingOverTheSameFileIsReadFromItsStart() throws {
        let t = tailer("app.jsonl.zst*")
        let encoder = ZstdEncoder()
        var bytes: [UInt8] = []
        encoder.write(Array("old 1\nold 2\npart".utf8), mode: .flush, into: &bytes)
        try writeFile(dir.file("app.jsonl.zst"), bytes)
        #expect(try step(t) == ["old 1", "old 2"])
        try writeFile(dir.file("app.jsonl.zst"), zstdCompress(lines: ["new 1"]).bytes)  // O_TRUNC, same inode
        #expect(try step(t) == ["new 1"])
    }

    @Test func filesDeletedWhileDriftdWasDownAreReported() throws {
        let telemetry = quietTelemetry()
        let t = tailer()
        try append("app.jsonl", "1\n")
        _ = try step(t)
        let state = t.state
        try FileManager.default.removeItem(atPath: dir.file("app.jsonl"))
        let restarted = Tailer(patterns: t.patterns, maxLineBytes: 1 << 20, telemetry: telemetry, clock: clock.read)
        restarted.restore(state)
        #expect(telemetry.counter("files_vanished_total") == 1)
        #expect(restarted.followedPaths.isEmpty)
    }

    @Test func aFileRotatedOutOfTheGlobWhileDriftdWasDownIsFinishedFromItsNewName() throws {
        let t = tailer()
        try append("app.jsonl", "1\n")
        _ = try step(t)
        let state = t.state
        try append("app.jsonl", "2\n")
        try FileManager.default.moveItem(atPath: dir.file("app.jsonl"), toPath: dir.file("archived.log"))
        try append("app.jsonl", "3\n")
        let restarted = tailer()
        restarted.restore(state)
        #expect(try step(restarted) == ["2", "3"])
        _ = try step(restarted, advance: 6)
        #expect(restarted.followedPaths == [dir.file("app.jsonl")], "the archived file is let go once read")
    }
}
