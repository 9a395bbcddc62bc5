// Times replay's stages one at a time on one thread, each the least of several runs, in nanoseconds per record:
// reading (file, zstd, line framing), parsing (JSON tape and record mapping) and aggregating (one shard). On a
// shared machine the least of a stage's runs moves far less than a whole replay does, so two builds can be
// compared stage by stage (docs/benchmarks.md):
//   swift run -c release stage-times FILE [runs] [zstd|parse|tape|aggregate]
// With a stage named, only that stage is timed after reading (for a profile of it).
import DriftAggregate
import DriftCore
import DriftPipeline
import DriftRecords
import DriftStats
import DriftSystem
import DriftWindows
import DriftZstd
import Foundation
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: stage-times FILE [runs] [zstd|parse|tape|aggregate]")
    exit(2)
}
let path = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let only = arguments.count > 3 ? arguments[3] : nil
AllocatorTuning.apply()  // as driftd does
let telemetry = Telemetry(logger: Logger(label: "stage-times", factory: { _ in SwiftLogNoOpLogHandler() }))
let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// The least time of `runs` calls of `body`.
func least(_ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs { best = min(best, seconds(try clock.measure(body))) }
    return best
}

/// Whether `stage` is run: all of them, or the one named.
func wanted(_ stage: String) -> Bool { only == nil || only == stage }

var times: [(stage: String, seconds: Double)] = []
var batches: [LineBatch] = []
times.append(
    (
        "read (zstd, framing)",
        try least {
            batches = []
            try Inputs.read([path], maxLineBytes: 1 << 20, telemetry: telemetry) { batches.append($0) }
        }
    ))
let records = batches.reduce(0) { $0 + $1.lines.count }  // the generator writes no line to reject
if wanted("zstd") && path.hasSuffix(".zst") {
    // Decompression alone (into nothing), in the reader's 1 MiB reads: the floor under the reading stage.
    let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
    times.append(
        (
            "  of which zstd",
            least {
                let decoder = ZstdDecoder()
                compressed.withUnsafeBytes { all in
                    var start = 0
                    while start < all.count {
                        var chunk = UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + (1 << 20))])
                        start += chunk.count
                        while !chunk.isEmpty {
                            switch decoder.decode(chunk, output: { _ in }) {
                            case .needInput(let used), .frameEnd(let used):
                                chunk = UnsafeRawBufferPointer(rebasing: chunk[used...])
                            case .corrupt(_, let reason): fatalError(reason)
                            case .windowTooLarge: fatalError("zstd window too large")
                            }
                        }
                    }
                }
            }
        ))
}
if wanted("parse") {
    // Each parsed batch is dropped before the next is parsed, as in replay: kept, their fresh pages would be
    // counted (the kernel clearing them cost more than the mapping).
    times.append(
        (
            "parse (tape, mapping)",
            least {
                var parser = BatchParser(index: 0, schema: .default, limits: RecordLimits(maxFuture: nil))
                for batch in batches { precondition(parser.parse(batch).rejections.isEmpty) }
            }
        ))
}
if wanted("tape") {
    times.append(
        (
            "  of which the tape",
            least {
                var tape = JSONTape()
                for batch in batches {
                    for i in batch.lines.indices { batch.withLine(i) { try? tape.parse($0) } }
                }
            }
        ))
}
if wanted("aggregate") {
    var parser = BatchParser(index: 0, schema: .default, limits: RecordLimits(maxFuture: nil))
    let parsed = batches.map { parser.parse($0) }
    times.append(
        (
            "aggregate (1 shard)",
            least {
                var aggregator = Aggregator(
                    schema: .default, windows: [WindowSpec(size: .seconds(300))],
                    limits: RecordLimits(maxFuture: nil), telemetry: telemetry)
                var closed: [WindowReport] = []
                for batch in parsed { aggregator.ingest(batch, closed: &closed) }
                aggregator.closeAll(into: &closed)
                precondition(aggregator.records == records)
            }
        ))
}
print("\(records) records, least of \(runs) runs, one thread")
for (stage, time) in times {
    let name = stage.padding(toLength: 24, withPad: " ", startingAt: 0)
    let perRecord = String(format: "%6.0f", time / Double(records) * 1e9)
    print("\(name) \(perRecord) ns/record  \(String(format: "%.3f", time)) s")
}
