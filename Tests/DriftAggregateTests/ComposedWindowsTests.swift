import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// 1m windows merged into the 5m window that holds them when they close (``WindowSpec/feeds(_:)``): the same
/// windows as each size aggregated on its own, with records late for the 1m window but not for the 5m one, records
/// late for both, nulls, values of the wrong type, labels, batches cut anywhere, shards and checkpoints.
@Suite struct ComposedWindowsTests {
    static let fine = WindowSpec(size: .seconds(60), allowedLateness: .seconds(30))
    static let coarse = WindowSpec(size: .seconds(300), allowedLateness: .seconds(180))

    struct Line {
        var offset: Int  // seconds after 10:00:00
        var x: Double?
        var text: String
        /// A long-tail categorical (hundreds of distinct values a window: the heavy hitters drop counters).
        var merchant: String
        /// A UUID, new on every record.
        var session: String
    }

    /// `perSecond` records a second over `seconds`; every 13th is 90 s late (late for 1m, in time for 5m), every
    /// 97th 700 s late (late for both). `x` is a 17-digit double, null on every 17th record.
    static func lines(seconds: Int, perSecond: Int = 1, seed: UInt64 = 7) -> [Line] {
        var rng = SplitMix64(seed: seed)
        var lines: [Line] = []
        for i in 0..<(seconds * perSecond) {
            var offset = 1_000 + i / perSecond
            if i % 13 == 5 { offset -= 90 }
            if i % 97 == 3 { offset -= 700 }
            let x: Double? = i % 17 == 0 ? nil : Double(rng.next() >> 11) * 0x1p-53 * 100 - 20
            let text = rng.next() % 5 == 0 ? "5014" : "v\(rng.next() % 23)"
            let u = Double(rng.next() >> 11) * 0x1p-53
            let (a, b) = (rng.next(), rng.next())
            let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
            let session = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
                String(hex.dropFirst(r.lowerBound).prefix(r.count))
            }.joined(separator: "-")
            lines.append(
                Line(offset: offset, x: x, text: text, merchant: "mch_\(Int(u * u * u * 3_000))", session: session))
        }
        return lines
    }

    static func json(_ l: Line, _ i: Int) -> String {
        let ts = String(format: "2026-11-26T%02d:%02d:%02dZ", 10 + l.offset / 3600, l.offset / 60 % 60, l.offset % 60)
        let x = l.x.map { "\($0)" } ?? "null"
        // `n` is a number, or a numeric-looking string (invalid for a numeric feature).
        let n = i % 5 == 0 ? #""\#(i)""# : "\(i % 11)"
        let features =
            #""x":\#(x),"c":"\#(l.text)","n":\#(n),"merchant":"\#(l.merchant)","session":"\#(l.session)","#
            + #""geo":{"lat":\#((l.x ?? 0) / 3 + 40),"zip":"0\#(i % 90 + 10)"}"#
        return
            #"{"ts":"\#(ts)","model":"m","features":{\#(features)},"prediction":{"label":"\#(i % 3 == 0 ? "a" : "b")","score":0.4},"actual":"\#(i % 4 == 0 ? "a" : "b")"}"#
    }

    static func run(
        _ lines: [Line], specs: [WindowSpec], batch: Int, shards: Int = 1, checkpointAt: Int? = nil,
        edit: ((Data) throws -> Data)? = nil
    ) throws -> [WindowReport] {
        let text = lines.enumerated().map { json($1, $0) }
        var a = Aggregator(schema: .default, windows: specs, telemetry: quietTelemetry(), shards: shards)
        var closed: [WindowReport] = []
        for (n, start) in stride(from: 0, to: text.count, by: batch).enumerated() {
            if n == checkpointAt {
                var data = try CheckpointJSON.encoder.encode(a.state)
                if let edit { data = try edit(data) }
                var b = Aggregator(
                    schema: .default, windows: specs, telemetry: quietTelemetry(), shards: 3 - shards)
                #expect(b.restore(try CheckpointJSON.decoder.decode(Aggregator.State.self, from: data)))
                a = b
            }
            a.add(AggregatorTests.batch(Array(text[start..<min(start + batch, text.count)])), closed: &closed)
        }
        a.closeAll(into: &closed)
        return closed
    }

    static func byWindow(_ reports: [WindowReport]) -> [String: WindowReport] {
        Dictionary(uniqueKeysWithValues: reports.map { ("\($0.window) \($0.start.rfc3339)", $0) })
    }

    /// Everything but the mean and standard deviation, which are merged by Chan's formulas, not added value by
    /// value, and so may differ in the last bits.
    static func expectSame(
        _ a: WindowReport, _ b: WindowReport, meanTolerance: Double = 1e-12, quantilesPastK: Bool = true
    ) {
        #expect(a.records == b.records && a.late == b.late && a.rejected == b.rejected, "\(a.window) \(a.start)")
        #expect(a.performance.classified == b.performance.classified && a.performance.correct == b.performance.correct)
        #expect(a.features.map(\.feature) == b.features.map(\.feature))
        for (f, g) in zip(a.features, b.features) {
            var (f2, g2) = (f, g)
            (f2.mean, f2.std, g2.mean, g2.std) = (nil, nil, nil, nil)
            // Top values once the heavy hitters dropped counters are those of merged summaries: within their bound
            // (checked against exact counts below), not equal.
            if (f.topError ?? 0) > 0 || (g.topError ?? 0) > 0 {
                (f2.top, f2.topError, g2.top, g2.topError) = ([], nil, [], nil)
            }
            // Past k values, quantiles are those of sketches merged in another order: within the bound, not equal.
            if f.count >= KLLSketch.defaultK && !quantilesPastK { (f2.quantiles, g2.quantiles) = ([], []) }
            #expect(f2 == g2, "\(a.window) \(a.start.rfc3339) \(f.feature)")
            for (u, v) in [(f.mean, g.mean), (f.std, g.std)] {
                #expect((u == nil) == (v == nil))
                if let u, let v { #expect(abs(u - v) <= meanTolerance * max(1, abs(u)), "\(f.feature) \(u) \(v)") }
            }
        }
    }

    @Test func composedWindowsAreTheWindowsOfEachSizeAggregatedOnItsOwn() throws {
        let lines = Self.lines(seconds: 1_500)
        // Listed coarser first, no size feeds another: each window takes its records itself.
        let separate = Self.byWindow(try Self.run(lines, specs: [Self.coarse, Self.fine], batch: 100))
        #expect(WindowSpec.feeds([Self.fine, Self.coarse]) == [1, nil])
        var first: [WindowReport]?
        for (batch, shards) in [(1, 1), (7, 2), (100, 1), (333, 2), (5_000, 1)] {
            let composed = try Self.run(lines, specs: [Self.fine, Self.coarse], batch: batch, shards: shards)
            // Where batches begin and end changes nothing, to the last bit: a record late for its 1m window is
            // merged into the 5m window after the 1m windows, whichever batch closed them.
            #expect(composed == (first ?? composed), "batches of \(batch)")
            first = first ?? composed
            let byWindow = Self.byWindow(composed)
            #expect(Set(byWindow.keys) == Set(separate.keys))
            for (key, report) in byWindow { Self.expectSame(report, try #require(separate[key])) }
        }
        let fiveMinute = separate.values.filter { $0.window == "5m" }
        #expect(
            fiveMinute.count == 6 && fiveMinute.allSatisfy { $0.late > 0 } && fiveMinute.contains { $0.records > 250 })
        #expect(separate.values.filter { $0.window == "1m" }.reduce(0) { $0 + $1.late } > 100)
    }

    /// The 5m windows against exact computations on the records each takes: a record is in time for its window
    /// while the window's end is past the newest time seen before it minus the allowed lateness (3m).
    @Test func composedWindowsAreExactWhereTheyHoldFewerValuesThanTheSketch() throws {
        let lines = Self.lines(seconds: 1_500)
        var newest = Int.min
        var values: [Int: [Double]] = [:]
        var records: [Int: Int] = [:]
        var merchants: [Int: [String: Int]] = [:]
        var sessions: [Int: Set<String>] = [:]
        var dropped = 0
        for l in lines {
            let start = l.offset / 300 * 300
            if newest == .min || start + 300 > newest - 180 {
                records[start, default: 0] += 1
                if let x = l.x { values[start, default: []].append(x) }
                merchants[start, default: [:]][l.merchant, default: 0] += 1
                sessions[start, default: []].insert(l.session)
            }
            newest = max(newest, l.offset)
        }
        let composed = try Self.run(lines, specs: [Self.fine, Self.coarse], batch: 64, shards: 2)
        for report in composed where report.window == "5m" {
            let start = Int(report.start.nanoseconds / 1_000_000_000) - 1_795_687_200  // 2026-11-26T10:00:00Z
            let exact = values[start, default: []].sorted()
            #expect(report.records == records[start])
            let x = try #require(report.features.first { $0.feature == "x" })
            #expect(x.count == exact.count && x.min == exact.first && x.max == exact.last)
            let quantiles = FeatureSummary.quantileLevels.map { q in
                exact[max(0, Int((q * Double(exact.count) - 1e-9 * Double(exact.count)).rounded(.up)) - 1)]
            }
            #expect(x.quantiles == quantiles.map { Optional($0) }, "\(report.start.rfc3339)")
            let mean = exact.reduce(0, +) / Double(exact.count)
            #expect(abs(try #require(x.mean) - mean) <= 1e-12 * max(1, abs(mean)))
            // Merged Misra–Gries: each count at most its truth and at least its truth less the error, the error at
            // most n / (capacity + 1).
            let counts = merchants[start, default: [:]]
            let merchant = try #require(report.features.first { $0.feature == "merchant" })
            let error = try #require(merchant.topError)
            #expect(counts.count > HeavyHitters.defaultCapacity && error <= report.records / 65)
            dropped = max(dropped, error)
            for top in merchant.top {
                let truth = counts[top.value, default: 0]
                #expect(top.count <= truth && top.count >= truth - error, "\(top.value) \(top.count) of \(truth)")
            }
            let session = try #require(report.features.first { $0.feature == "session" })
            #expect(session.distinct == sessions[start]?.count)
        }
        #expect(composed.filter { $0.window == "5m" }.count == records.count)
        #expect(dropped > 0, "the heavy hitters of some 5m window dropped counters")
    }

    /// Windows of more values than KLL keeps exactly (k = 400): the 5m sketch made of 1m sketches has the
    /// documented rank error (1%) against the exact ranks.
    @Test func largeComposedWindowsStayWithinTheSketchBounds() throws {
        let lines = Self.lines(seconds: 900, perSecond: 6, seed: 11)
        let composed = try Self.run(lines, specs: [Self.fine, Self.coarse], batch: 500, shards: 2)
        let separate = Self.byWindow(try Self.run(lines, specs: [Self.coarse, Self.fine], batch: 500))
        var checked = 0
        for report in composed where report.window == "5m" {
            let other = try #require(separate["5m \(report.start.rfc3339)"])
            #expect(report.records == other.records && report.late == other.late)
            let x = try #require(report.features.first { $0.feature == "x" })
            let y = try #require(other.features.first { $0.feature == "x" })
            #expect(x.count == y.count && x.min == y.min && x.max == y.max && x.top == y.top)
            let (u, v) = (try #require(x.mean), try #require(y.mean))
            #expect(abs(u - v) <= 1e-12 * max(1, abs(v)))
            // The exact values of the window: the separate path's are exact in count; take them from the lines.
            let start = Int(report.start.nanoseconds / 1_000_000_000) - 1_795_687_200
            var newest = Int.min
            var exact: [Double] = []
            for l in lines {
                if l.offset / 300 * 300 == start, newest == .min || start + 300 > newest - 180, let v = l.x {
                    exact.append(v)
                }
                newest = max(newest, l.offset)
            }
            exact.sort()
            #expect(exact.count == x.count)
            guard exact.count > 1_000 else { continue }
            checked += 1
            for (q, v) in zip(FeatureSummary.quantileLevels, x.quantiles) {
                let v = try #require(v)
                let below = Double(exact.filter { $0 < v }.count) / Double(exact.count)
                let atOrBelow = Double(exact.filter { $0 <= v }.count) / Double(exact.count)
                #expect(below - 0.01 <= q && q <= atOrBelow + 0.01, "p\(q) \(v): ranks \(below)–\(atOrBelow)")
            }
        }
        #expect(checked >= 2)
    }

    /// A checkpoint holds which windows feed which: continued on another number of shards, the windows are the
    /// uninterrupted run's exactly.
    @Test func aCheckpointOfComposedWindowsContinuesExactly() throws {
        let lines = Self.lines(seconds: 1_200)
        let specs = [Self.fine, Self.coarse]
        let whole = try Self.run(lines, specs: specs, batch: 50, shards: 2)
        var apart = 0
        for at in [3, 7, 13] {
            let continued = try Self.run(lines, specs: specs, batch: 50, shards: 2, checkpointAt: at) { data in
                apart += String(decoding: data, as: UTF8.self).contains(#""direct":"#) ? 1 : 0
                return data
            }
            #expect(continued == whole)
        }
        #expect(apart >= 1, "a checkpoint held records late for their 1m window, kept apart in their 5m window")
    }

    /// A checkpoint whose windows feed coarser ones that the rule would not feed now (here its 5m idle timeout
    /// edited below the 1m one's): the open 1m windows are merged into their 5m windows at the restore, and every
    /// record is counted once.
    @Test func windowsThatNoLongerFeedAreMergedAtTheRestore() throws {
        try Self.expectUnfolded(specs: [Self.fine, Self.coarse], editing: 1, feeding: #""feeds":1"#)
    }

    /// A chain 1m → 5m → 1h whose 5m windows no longer feed the 1h ones: a 5m window merged into its 1h window at
    /// the restore brings along the records it kept apart (late for their 1m window), which the 1h window had not
    /// taken either.
    @Test func aChainUnfoldedAtTheRestoreKeepsTheRecordsLateForTheFinestSize() throws {
        let hour = WindowSpec(size: .seconds(3_600), allowedLateness: .seconds(600))
        try Self.expectUnfolded(specs: [Self.fine, Self.coarse, hour], editing: 2, feeding: #""feeds":2"#)
    }

    /// Runs `specs` whole, and again from a checkpoint in which window size `index`'s idle timeout is edited below
    /// the size before it (so that, by the rule, that size is no longer fed): every window must be the same.
    static func expectUnfolded(specs: [WindowSpec], editing index: Int, feeding marker: String) throws {
        let lines = Self.lines(seconds: 1_200)
        let whole = Self.byWindow(try Self.run(lines, specs: specs, batch: 50))
        var edited = 0
        let continued = try Self.run(lines, specs: specs, batch: 50, checkpointAt: 9) { data in
            var state = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            var models = state["models"] as! [[String: Any]]
            var perSpec = models[0]["specs"] as! [[String: Any]]
            var tracker = perSpec[index]["tracker"] as! [String: Any]
            var spec = tracker["spec"] as! [String: Any]
            #expect(spec["idleTimeout"] != nil)
            spec["idleTimeout"] = try JSONSerialization.jsonObject(
                with: JSONEncoder().encode(Span.seconds(10)), options: .fragmentsAllowed)
            tracker["spec"] = spec
            perSpec[index]["tracker"] = tracker
            models[0]["specs"] = perSpec
            state["models"] = models
            let text = String(decoding: data, as: UTF8.self)
            edited += text.components(separatedBy: marker).count - 1
            #expect(text.contains(#""direct":"#), "the checkpoint holds records kept apart")
            return try JSONSerialization.data(withJSONObject: state)
        }
        #expect(edited >= 1, "the checkpoint had windows feeding the edited size")
        let byWindow = Self.byWindow(continued)
        #expect(Set(byWindow.keys) == Set(whole.keys))
        for (key, report) in byWindow {
            Self.expectSame(report, try #require(whole[key]), quantilesPastK: false)
        }
    }
}

extension ComposedWindowsTests {
    /// A damaged checkpoint whose window feeds its own size (or one listed before it) is refused, as other
    /// inconsistent checkpoints are, rather than merged into the wrong window.
    @Test func aCheckpointWhoseWindowFeedsNoCoarserSizeIsRefused() throws {
        let text = Self.lines(seconds: 200).enumerated().map { Self.json($1, $0) }
        let specs = [Self.fine, Self.coarse]
        var a = Aggregator(schema: .default, windows: specs, telemetry: quietTelemetry())
        var closed: [WindowReport] = []
        a.add(AggregatorTests.batch(text), closed: &closed)
        let (encoder, decoder) = (CheckpointJSON.encoder, CheckpointJSON.decoder)
        let good = String(decoding: try encoder.encode(a.state), as: UTF8.self)
        #expect(good.contains(#""feeds":1"#))
        var fresh = Aggregator(schema: .default, windows: specs, telemetry: quietTelemetry())
        let restored = fresh.restore(try decoder.decode(Aggregator.State.self, from: Data(good.utf8)))
        #expect(restored)
        for bad in [#""feeds":0"#, #""feeds":2"#, #""feeds":-1"#] {
            let damaged = good.replacingOccurrences(of: #""feeds":1"#, with: bad)
            let state = try decoder.decode(Aggregator.State.self, from: Data(damaged.utf8))
            #expect(state.problem(windows: specs) != nil, "\(bad)")
            var b = Aggregator(schema: .default, windows: specs, telemetry: quietTelemetry())
            let accepted = b.restore(state)
            #expect(!accepted, "\(bad)")
        }
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
