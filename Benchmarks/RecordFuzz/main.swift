// The long run of the record-path fuzzer: realistic and mutated lines through zstd, the parser, the mapper, the
// limits, the windows, the aggregator, the encoder and checkpoint round trips, for a number of seconds (default
// 60), from a seed. A crash is the failure (the process dies, and the script says so); a clean run prints what
// it covered and exits 0.
//   swift run -c release record-fuzz [seconds] [seed]
import DriftCore
import DriftTestSupport
import Foundation
import Logging

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 60 : 60
let seed = CommandLine.arguments.count > 2 ? UInt64(CommandLine.arguments[2]) ?? 1 : 1
let directory = NSTemporaryDirectory() + "/driftd-record-fuzz-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let telemetry = Telemetry(logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))
var fuzzer = RecordFuzzer(seed: seed, directory: directory, telemetry: telemetry)
let deadline = Date().addingTimeInterval(seconds)
var rounds = 0
while Date() < deadline {
    try fuzzer.round()
    rounds += 1
}
let c = telemetry.counters
let rejected = c.filter { $0.key.hasPrefix("records_rejected_total{") }.sorted { $0.key < $1.key }
    .map { "\($0.key.dropFirst("records_rejected_total".count)) \($0.value)" }.joined(separator: ", ")
print(
    """
    record-fuzz: \(Int(seconds)) s, seed \(seed): \(rounds) rounds, \(fuzzer.lines) lines, \(fuzzer.windows) windows, \
    \(fuzzer.restores) checkpoint restores, \(fuzzer.zstdFiles) zstd files; 0 crashes
      rejected: \(rejected)
      corrupt zstd frames \(c["zstd_frames_corrupt_total"] ?? 0), feature values dropped \(c["feature_values_dropped_total"] ?? 0), \
    models evicted \(c["models_evicted_total"] ?? 0), late records \(c["records_late_total"] ?? 0)
    """)
