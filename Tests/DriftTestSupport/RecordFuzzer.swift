import DriftAggregate
import DriftCore
import DriftPipeline
import DriftRecords
import DriftSinks
import DriftSources
import DriftStats
import DriftWindows
import DriftZstd
import Foundation

/// Fuzzes the whole record path — zstd decoding, framing, JSON, mapping, timestamps, limits, windows (tumbling
/// and sliding), aggregation, window close, encoding, checkpoint state — with realistic lines and mutations of
/// them (bit flips, cuts, hostile values: objects as timestamps, years 0001 and 9999, huge numbers, deep nesting,
/// invalid UTF-8, NUL bytes, empty and huge names, new models and features per line). A crash or a trap is the
/// failure: the process dies. Deterministic for a seed. `scripts/fuzz_records` runs it for minutes; the test
/// suite for a moment.
public struct RecordFuzzer {
    private var rng: SeededGenerator
    private let directory: String
    private let clock = ManualClock()
    private var aggregator: Aggregator
    private let telemetry: Telemetry
    public private(set) var rounds = 0
    public private(set) var lines = 0
    public private(set) var windows = 0
    public private(set) var restores = 0
    public private(set) var zstdFiles = 0

    static let specs = [
        WindowSpec(size: .seconds(60), allowedLateness: .seconds(5), idleTimeout: .seconds(30)),
        WindowSpec(size: .seconds(300), slide: .seconds(60), allowedLateness: .zero, idleTimeout: .seconds(30)),
    ]
    static let limits = RecordLimits(maxLineBytes: 64 << 10, maxFuture: .seconds(300), maxModels: 8, maxFeatures: 24)

    /// - Parameter directory: where the zstd rounds write their files.
    public init(seed: UInt64, directory: String, telemetry: Telemetry) {
        rng = SeededGenerator(seed: seed)
        self.directory = directory
        self.telemetry = telemetry
        aggregator = Aggregator(
            schema: .default, windows: Self.specs, limits: Self.limits, telemetry: telemetry,
            shards: 2, clock: clock.read)
    }

    /// One round: a batch of lines, some mutated, through the aggregator; now and then idle closes, a checkpoint
    /// round trip (sometimes of a damaged checkpoint), or the same lines through a corrupted zstd file.
    public mutating func round() throws {
        rounds += 1
        let batch = (0..<Int(rng.int(in: 20...200))).map { _ in
            rng.unit() < 0.6 ? mutated(realisticLine()) : Array(realisticLine().utf8)
        }
        lines += batch.count
        var closed: [WindowReport] = []
        if rng.unit() < 0.05 {
            try throughZstd(batch, closed: &closed)
        } else {
            var framer = LineFramer(maxLineBytes: Self.limits.maxLineBytes)
            var lineBatch = LineBatch(source: "fuzz")
            (batch.joined(separator: [0x0A]) + [0x0A]).withUnsafeBytes { framer.push($0, into: &lineBatch) }
            framer.finish(into: &lineBatch)
            aggregator.add(lineBatch, closed: &closed)
        }
        if rng.unit() < 0.1 {
            clock.advance(seconds: Int64(rng.int(in: 0...60)))
            aggregator.closeIdle(into: &closed)
        }
        if rng.unit() < 0.03 { try checkpointRoundTrip() }
        if rng.unit() < 0.01 { aggregator.closeAll(into: &closed) }
        for report in closed {
            for line in MetricLineEncoder.lines(for: report) where line.count > 64 << 10 {
                fatalError("a metric line of \(line.count) bytes")
            }
        }
        windows += closed.count
    }

    private mutating func checkpointRoundTrip() throws {
        var data = Array(try CheckpointJSON.encoder.encode(aggregator.state))
        if rng.unit() < 0.5, !data.isEmpty {
            for _ in 0..<rng.int(in: 1...4) {
                data[rng.int(in: 0...(data.count - 1))] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
        guard let state = try? CheckpointJSON.decoder.decode(Aggregator.State.self, from: Data(data)) else { return }
        var restored = Aggregator(
            schema: .default, windows: Self.specs, limits: Self.limits, telemetry: telemetry,
            shards: 1, clock: clock.read)
        if restored.restore(state) {
            aggregator = restored
            restores += 1
        }
    }

    private mutating func throughZstd(_ batch: [[UInt8]], closed: inout [WindowReport]) throws {
        let encoder = ZstdEncoder(level: 1, checksum: rng.unit() < 0.5)
        var compressed: [UInt8] = []
        for (i, line) in batch.enumerated() {
            let mode: ZstdEncoder.Mode = i % 17 == 16 ? .end : i % 5 == 4 ? .flush : .continue
            encoder.write(line + [0x0A], mode: mode, into: &compressed)
        }
        encoder.write([], mode: .end, into: &compressed)
        for _ in 0..<rng.int(in: 0...3) where !compressed.isEmpty {
            compressed[rng.int(in: 0...(compressed.count - 1))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
        }
        if rng.unit() < 0.3 { compressed = Array(compressed.prefix(rng.int(in: 0...compressed.count))) }
        let path = directory + "/fuzz-\(zstdFiles % 4).jsonl.zst"
        zstdFiles += 1
        try Data(compressed).write(to: URL(fileURLWithPath: path))
        let reader = try SourceReader(
            path: path, maxLineBytes: Self.limits.maxLineBytes, batchLines: 64,
            maxZstdWindow: 1 << 20, telemetry: telemetry)
        var agg = aggregator
        let deliver: (LineBatch) -> Void = { agg.add($0, closed: &closed) }
        try reader.pump(deliver)
        reader.finish(deliver)
        aggregator = agg
    }

    // MARK: lines

    private mutating func pick<T>(_ xs: [T]) -> T { xs[rng.int(in: 0...(xs.count - 1))] }

    private mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        let groups = [8, 4, 4, 4, 12]
        return groups.map { n in String((0..<n).map { _ in hex[rng.int(in: 0...15)] }) }.joined(separator: "-")
    }

    /// A line as a fraud service writes it: RFC 3339 with offsets or epoch times, a UUID, 17-digit doubles,
    /// nulls, numeric-looking strings, a nested object, a long-tail categorical, a prediction and sometimes an
    /// actual.
    private mutating func realisticLine() -> String {
        // Event time moves on a second a round (over two days, then back: a storm of late records), a few
        // minutes of jitter around it, so that windows keep opening and closing.
        let base: Int64 = 1_795_687_200 + Int64(rounds % 172_800) + Int64(rng.int(in: 0...300))
        let ts: String
        switch rng.int(in: 0...4) {
        case 0: ts = "\"\(EventTime(seconds: base).rfc3339)\""
        case 1: ts = "\(base)"
        case 2: ts = "\(base * 1000 + Int64(rng.int(in: 0...999)))"
        case 3: ts = "\"\(EventTime(seconds: base + 3600).rfc3339.dropLast())+01:00\""
        default: ts = "\(Double(base) + rng.unit())"
        }
        let model = pick(["fraud-v3", "churn", "rank", "fraud-v3", "m\(rng.int(in: 0...20))"])
        let amount = rng.unit() < 0.03 ? "null" : "\(rng.normal() * 1e3)"
        let merchant = rng.unit() < 0.5 ? "\"m\(rng.int(in: 0...50_000))\"" : "\"\(rng.int(in: 1000...9999))\""
        let nested = #"{"age":\#(rng.int(in: 18...90)),"tier":"\#(pick(["gold", "silver", "bronze"]))"}"#
        let actual = rng.unit() < 0.3 ? #","actual":"\#(pick(["fraud", "ok"]))""# : ""
        return #"{"ts":\#(ts),"request_id":"\#(uuid())","model":"\#(model)","features":{"amount":\#(amount),"#
            + #""score_raw":\#(rng.unit()),"merchant_id":\#(merchant),"country":"\#(pick(["FR", "DE", "US", "BR"]))","#
            + #""customer":\#(nested),"tags":["a","b"],"flag":\#(rng.unit() < 0.5)},"#
            + #""prediction":{"score":\#(rng.unit()),"label":"\#(pick(["fraud", "ok"]))"}\#(actual)}"#
    }

    private static let hostileValues: [String] = [
        "{}", "[1]", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]", "\"0001-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59Z\"",
        "\"2262-04-11T23:47:16Z\"", "9223372036854775000", "-9223372036854775808", "1e308", "-1e308", "1e-400", "-0",
        "NaN", "Infinity", "-Infinity", "\"\\u0000\"", "\"\\ud800\"", "null", "true", "\"2099-01-01T00:00:00Z\"",
        "\"2026-11-26T10:00:00\"", "\"2026-02-30T00:00:00Z\"", "123456789012345678901234567890", "\"\"",
        String(repeating: "9", count: 400), "\"" + String(repeating: "x", count: 3000) + "\"",
    ]

    private static let hostileKeys: [String] = [
        "", "\\u0000", "\\u001b[31m", String(repeating: "k", count: 300), "a.b", "ts", "features", "model",
    ]

    /// One of several damages to a line.
    private mutating func mutated(_ line: String) -> [UInt8] {
        var bytes = Array(line.utf8)
        switch rng.int(in: 0...9) {
        case 0:  // bit flips
            for _ in 0..<rng.int(in: 1...8) {
                bytes[rng.int(in: 0...(bytes.count - 1))] ^= UInt8(1 << rng.int(in: 0...7))
            }
        case 1:  // cut anywhere
            bytes = Array(bytes.prefix(rng.int(in: 0...bytes.count)))
        case 2:  // a hostile timestamp
            return Array(
                line.replacingOccurrences(of: #"{"ts":"#, with: #"{"ts":\#(pick(Self.hostileValues)),"old_ts":"#).utf8)
        case 3:  // a hostile feature value
            return Array(
                line.replacingOccurrences(of: #""amount":"#, with: #""amount":\#(pick(Self.hostileValues)),"x":"#).utf8)
        case 4:  // a hostile key
            return Array(
                line.replacingOccurrences(of: #""country":"#, with: #""\#(pick(Self.hostileKeys))":1,"country":"#).utf8)
        case 5:  // a new model or feature name per line (a cardinality attack)
            let name = uuid()
            return Array(
                (rng.unit() < 0.5
                    ? line.replacingOccurrences(of: #""model":""#, with: #""model":"\#(name)"#)
                    : line.replacingOccurrences(of: #""amount":"#, with: #""f-\#(name)":1,"amount":"#)).utf8)
        case 6:  // invalid UTF-8 and control bytes inside a string
            let at = rng.int(in: 0...(bytes.count - 1))
            bytes.insert(contentsOf: pick([[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x00], [0x1B]]), at: at)
        case 7:  // deep nesting
            let depth = rng.int(in: 100...5000)
            return Array(
                (#"{"ts":1795687200,"features":{"deep":"# + String(repeating: "[", count: depth)
                    + String(repeating: "]", count: depth) + "}}").utf8)
        case 8:  // a slice repeated
            let a = rng.int(in: 0...(bytes.count - 1))
            let b = rng.int(in: a...min(bytes.count - 1, a + 40))
            bytes.insert(contentsOf: bytes[a...b], at: rng.int(in: 0...bytes.count))
        default:  // random bytes
            bytes = (0..<rng.int(in: 0...200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        // A newline inside would only split the line; keep one line per mutation.
        return bytes.map { $0 == 0x0A ? 0x20 : $0 }
    }
}
