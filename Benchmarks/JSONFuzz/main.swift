// The long run of the JSON differential test: random and mutated documents through driftd's parser and
// Foundation's, for a number of seconds (default 60), from a seed. Exits non-zero on any disagreement.
//   swift run -c release json-fuzz [seconds] [seed]
import DriftTestSupport
import Foundation

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 60 : 60
let seed = CommandLine.arguments.count > 2 ? UInt64(CommandLine.arguments[2]) ?? 1 : 1
var differential = JSONDifferential(seed: seed)
let deadline = Date().addingTimeInterval(seconds)
while Date() < deadline && differential.disagreements.isEmpty {
    for _ in 0..<100 { differential.round() }
}
print(
    "checked \(differential.checked) texts (\(differential.accepted) accepted by both) in \(Int(seconds)) s, seed \(seed): "
        + "\(differential.disagreements.count) disagreement(s)")
for d in differential.disagreements.prefix(10) { print("  " + d) }
exit(differential.disagreements.isEmpty ? 0 : 1)
