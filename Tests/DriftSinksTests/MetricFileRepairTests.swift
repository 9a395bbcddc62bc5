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
}
