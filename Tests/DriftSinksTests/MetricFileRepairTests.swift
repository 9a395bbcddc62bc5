import DriftCore
import DriftSinks
import DriftTestSupport
import Foundation
import Testing

@Suite struct MetricFileRepairTests {
    let dir = TemporaryDirectory()

    static func feature(_ start: String, _ f: String) -> String {
        #"{"kind":"feature","model":"m","window":"5m","window_start":"\#(start)","feature":"\#(f)","count":1}"#
    }

    static func window(_ start: String) -> String {
        #"{"kind":"window","model":"m","window":"5m","window_start":"\#(start)","records":1}"#
    }

    @Test func windowsWrittenAfterTheCheckpointAreFoundAndAnUnfinishedOneIsCut() throws {
        let path = dir.file("metrics.jsonl")
        let committedBefore =
            [Self.feature("2026-11-26T10:00:00Z", "a"), Self.window("2026-11-26T10:00:00Z")].joined(separator: "\n")
            + "\n"
        let afterCheckpoint =
            [Self.feature("2026-11-26T10:05:00Z", "a"), Self.window("2026-11-26T10:05:00Z")].joined(separator: "\n")
            + "\n"
        let unfinished = Self.feature("2026-11-26T10:10:00Z", "a") + "\n" + #"{"kind":"feature","model":"m","wi"#
        try writeFile(path, committedBefore + afterCheckpoint + unfinished)
        let result = try MetricFileRepair.repair(path: path, after: Int64(committedBefore.utf8.count))
        #expect(
            result.committed == [WindowID(model: "m", window: "5m", start: EventTime(rfc3339: "2026-11-26T10:05:00Z")!)]
        )
        #expect(result.removedBytes == Int64(unfinished.utf8.count))
        #expect(String(decoding: try readFile(path), as: UTF8.self) == committedBefore + afterCheckpoint)
    }

    @Test func withoutACheckpointOnlyTheEndIsRepaired() throws {
        let path = dir.file("metrics.jsonl")
        let whole =
            [Self.feature("2026-11-26T10:00:00Z", "a"), Self.window("2026-11-26T10:00:00Z")].joined(separator: "\n")
            + "\n"
        try writeFile(path, whole + "{\"partial")
        let result = try MetricFileRepair.repair(path: path, after: nil)
        #expect(result.committed.isEmpty)
        #expect(String(decoding: try readFile(path), as: UTF8.self) == whole)
        let again = try MetricFileRepair.repair(path: path, after: nil)
        #expect(again.removedBytes == 0)
        #expect(try MetricFileRepair.repair(path: dir.file("missing.jsonl"), after: nil).removedBytes == 0)
    }

    /// Each model version is a series of its own (`schema.model_version`): two versions' windows of the same start
    /// are two windows, after a crash as in the checkpoint (they were one, and the second was then written twice).
    @Test func modelVersionsAreSeriesOfTheirOwn() throws {
        let path = dir.file("metrics.jsonl")
        let lines = ["1", "2"].map {
            #"{"kind":"window","model":"m","model_version":"\#($0)","window":"5m","window_start":"2026-11-26T10:00:00Z","records":1}"#
        }
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        let start = EventTime(rfc3339: "2026-11-26T10:00:00Z")!
        let result = try MetricFileRepair.repair(path: path, after: 0)
        #expect(
            result.committed == [
                WindowID(model: ModelKey.join("m", version: "1"), window: "5m", start: start),
                WindowID(model: ModelKey.join("m", version: "2"), window: "5m", start: start),
            ])
        #expect(
            Set(MetricFileRepair.writtenThrough(directory: dir.path).keys) == [
                SeriesID(model: ModelKey.join("m", version: "1"), window: "5m"),
                SeriesID(model: ModelKey.join("m", version: "2"), window: "5m"),
            ])
    }

    /// The profile file: whole lines stand alone, a partial last one is cut, however long.
    @Test func aPartialLastProfileLineIsCut() throws {
        let path = dir.file("profiles.jsonl")
        let whole = "{\"a\":1}\n{\"b\":2}\n"
        try writeFile(path, whole + "{\"c\":\"" + String(repeating: "x", count: 200_000))
        #expect(try MetricFileRepair.dropPartialLastLine(path: path) == 200_006)
        #expect(String(decoding: try readFile(path), as: UTF8.self) == whole)
        #expect(try MetricFileRepair.dropPartialLastLine(path: path) == 0)
        try writeFile(path, "no newline at all")
        #expect(try MetricFileRepair.dropPartialLastLine(path: path) == 17 && (try readFile(path)).isEmpty)
        #expect(try MetricFileRepair.dropPartialLastLine(path: dir.file("absent.jsonl")) == 0)
    }
}
