import DriftConfig
import DriftCore
import DriftPipeline
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// Replay hands its closed windows to the output thread in chunks: none may be lost or reordered, whether they
/// close while records are read or at the end, and whether or not they fill the last chunk.
@Suite struct ReplayOutputTests {
    let dir = TemporaryDirectory()

    /// A full disk under many chunks of windows: replay stops with an error that names the metric file and the
    /// cause, and does not wait forever for room the output thread will never make.
    @Test func aFullDiskStopsReplayWithAClearError() throws {
        var lines: [String] = []
        for minute in [0, 5, 10] {
            for m in 0..<100 {
                lines.append(#"{"ts":\#(1_795_687_200 + minute * 60),"model":"m\#(m)","features":{"x":\#(m)}}"#)
            }
        }
        let path = dir.file("many.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: dir.file("out/metrics.jsonl"), withDestinationPath: "/dev/full")
        var config = DriftConfig(file: dir.file("driftd.yaml"))
        config.windows = [WindowSpec(size: .seconds(60), allowedLateness: .seconds(60))]
        let error = #expect(throws: DriftError.self) {
            try Replay(config: config, telemetry: quietTelemetry()).run(files: [path], outputDirectory: dir.file("out"))
        }
        #expect(error?.description.contains("metrics.jsonl") == true, "\(String(describing: error))")
        #expect(error?.description.contains("No space left on device") == true, "\(String(describing: error))")
    }

    /// 70 models, each with a record in minute 0 (closed by the records of minute 5, while reading) and one in
    /// minute 5 (closed at the end): 140 windows, two chunks and a part of one each time.
    @Test func everyWindowIsWrittenOnceInTheOrderItClosed() throws {
        let models = 70
        var lines: [String] = []
        for minute in [0, 5] {
            for m in 0..<models {
                let ts = 1_795_687_200 + minute * 60 + m % 50
                lines.append(#"{"ts":\#(ts),"model":"m\#(m)","features":{"x":\#(m * 10 + minute)}}"#)
            }
        }
        let path = dir.file("many.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        var config = DriftConfig(file: dir.file("driftd.yaml"))
        config.windows = [WindowSpec(size: .seconds(60), allowedLateness: .seconds(60))]
        config.output.dir = dir.file("metrics")
        let summary = try Replay(config: config, telemetry: quietTelemetry()).run(files: [path], outputDirectory: nil)
        #expect(summary.windows == 2 * models)

        let written = try splitLines(try readFile(dir.file("metrics/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let windows = written.filter { $0["kind"] as? String == "window" }
        let keys = windows.map { "\($0["model"] as! String)@\($0["window_start"] as! String)" }
        #expect(keys.count == 2 * models)
        #expect(Set(keys).count == 2 * models)
        // Every minute-0 window closes before any minute-5 one, and each window's feature line follows it with
        // its own value.
        let firstLate = try #require(windows.firstIndex { ($0["window_start"] as! String).hasSuffix(":05:00Z") })
        #expect(firstLate == models)
        let x = written.filter { $0["feature"] as? String == "x" }
        #expect(x.count == 2 * models)
        for (window, feature) in zip(windows, x) {
            #expect(window["model"] as? String == feature["model"] as? String)
            #expect(window["window_start"] as? String == feature["window_start"] as? String)
            let m = Int((window["model"] as! String).dropFirst())!
            let minute = (window["window_start"] as! String).hasSuffix(":05:00Z") ? 5 : 0
            #expect(feature["mean"] as? Double == Double(m * 10 + minute))
        }
    }
}
