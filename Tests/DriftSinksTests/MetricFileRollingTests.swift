import DriftConfig
import DriftCore
import DriftPipeline
import DriftSinks
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

@Suite struct MetricFileRollingTests {
    let dir = TemporaryDirectory()

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func rollsBySizeAndByAgeKeepingTheNewest() throws {
        let clock = ManualClock()
        clock.advance(seconds: 1_795_651_200)
        let writer = try MetricFileWriter(
            directory: dir.path, rolling: .init(maxBytes: 100, maxAge: .seconds(60), keep: 2), wallClock: clock.read)
        #expect(!writer.shouldRoll, "an empty file never rolls")
        try writer.append(line: Array("{\"a\":1}\n".utf8))
        #expect(!writer.shouldRoll)
        clock.advance(seconds: 60)
        #expect(writer.shouldRoll, "by age")
        let first = try writer.roll()
        #expect(first.hasSuffix("/metrics-20261126T000100Z.jsonl"))
        try writer.append(line: Array(String(repeating: "x", count: 120).utf8) + [0x0A])
        #expect(writer.shouldRoll, "by size")
        for _ in 0..<3 {
            clock.advance(seconds: 1)
            try writer.roll()
            try writer.append(line: Array("{}\n".utf8))
        }
        let names = try files()
        #expect(names.filter { $0.hasPrefix("metrics-") }.count == 2, "retention keeps the newest 2: \(names)")
        #expect(names.contains("metrics.jsonl"))
        #expect(!names.contains("metrics-20261126T000100Z.jsonl"), "the oldest went first")
    }

    @Test func replayRollsBetweenWindowsNeverInsideOne() throws {
        var config = DriftConfig(file: dir.file("d.yaml"))
        config.windows = [WindowSpec(size: .seconds(60))]
        config.output.maxBytes = ByteSize(bytes: 2_000)
        config.output.keep = 100
        let lines = (0..<6000).map { i in
            #"{"ts":\#(1_795_651_200 + i / 10),"features":{"x":\#(i % 7),"c":"v\#(i % 3)"}}"#
        }
        try writeFile(dir.file("in.jsonl"), lines.joined(separator: "\n") + "\n")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(
            files: [dir.file("in.jsonl")], outputDirectory: dir.file("out"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).sorted()
        #expect(names.count > 2, "\(names)")
        // Every file ends with a window line: no window is split across files.
        for name in names {
            let text = String(decoding: try readFile(dir.file("out/\(name)")), as: UTF8.self)
            #expect(text.split(separator: "\n").last?.contains(#""kind":"window""#) == true, "\(name)")
        }
    }
}
