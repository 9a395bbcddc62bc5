import DriftCore
import Foundation
import Testing

@testable import DriftReport

/// Metric lines of every kind a report reads, in the order a crash-and-replay can leave them: two models (one
/// with versions), rewritten windows, an alert that fires in the rolled file and resolves in the live one,
/// escaped and non-ASCII names, a measure that appears only from some window on, driftd's own lines, garbage, and
/// a last line without its newline.
private func fixture(seed: UInt64) -> (rolled: String, live: String) {
    var rng = SplitMix64(seed: seed)
    var lines: [String] = []
    let features = ["amount", "country", #"a\"quoted"#, #"caf\u00e9"#, "prediction"]
    for w in 0..<40 {
        let end = String(format: "2026-11-26T%02d:%02d:00Z", 10 + w / 12, (w % 12) * 5)
        for (model, version) in [("fraud", nil), ("churn", "v1"), ("churn", "v2")] as [(String, String?)] {
            let head =
                #""model":"\#(model)","window":"5m","window_end":"\#(end)""#
                + (version.map { #","model_version":"\#($0)""# } ?? "")
            lines.append(#"{"kind":"window",\#(head),"records":\#(100 + w),"late":0,"rejected":\#(w % 3)}"#)
            for f in features {
                let psi = Double(rng.next() % 1000) / 2000
                let chi2 = w >= 20 ? #","chi2_p":\#(Double(rng.next() % 100) / 100)"# : ""
                let histogram = (0..<4).map { _ in String(rng.next() % 50) }.joined(separator: ",")
                lines.append(
                    #"{"kind":"feature",\#(head),"feature":"\#(f)","type":"numeric","count":\#(90 + w % 7),"missing":\#(w % 5),"invalid":\#(w % 2),"mean":1.5,"unseen":2,"histogram":[\#(histogram)],"top":[{"value":"x","count":3}],"drift":{"psi":\#(psi),"js":\#(psi / 3)\#(chi2)}}"#
                )
            }
            if w % 9 == 3 { lines.append(#"{"kind":"performance",\#(head),"labeled":50,"roc_auc":0.8}"#) }
        }
        if w == 15 {
            lines.append(
                #"{"kind":"alert","model":"fraud","window":"5m","window_end":"\#(end)","feature":"amount","alertname":"FeatureDrift","state":"firing","severity":"critical"}"#
            )
        }
        if w == 30 {
            lines.append(
                #"{"kind":"alert","model":"fraud","window":"5m","window_end":"\#(end)","feature":"amount","alertname":"FeatureDrift","state":"resolved","severity":"critical"}"#
            )
        }
        if w % 10 == 0 { lines.append(#"{"kind":"self","time":"\#(end)","records_total":5}"#) }
        if w == 7 { lines.append("not json at all") }
        if w == 8 { lines.append("") }
    }
    // A replay after a crash wrote windows 18 and 19 again, with other values.
    let cut = lines.count / 2
    let replayed = lines[(cut - 40)..<cut].map { $0.replacingOccurrences(of: #""mean":1.5"#, with: #""mean":2.5"#) }
    let rolled = (lines[..<cut] + replayed).joined(separator: "\n") + "\n"
    let live = lines[cut...].joined(separator: "\n")  // no newline after the last line: it is being written
    return (rolled, live)
}

@Suite struct MetricFileReaderTests {
    /// Any number of workers and any buffer size read what one reader of every line in order reads: the same
    /// page, the same counts. Small buffers cross lines and grow for lines longer than themselves.
    @Test(arguments: [UInt64(1), 2, 3])
    func partsReadInParallelGiveWhatOneReaderGives(seed: UInt64) throws {
        let (rolled, live) = fixture(seed: seed)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-read-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = [dir + "/metrics-2026-11-26.jsonl", dir + "/metrics.jsonl"]
        try rolled.write(toFile: paths[0], atomically: true, encoding: .utf8)
        try live.write(toFile: paths[1], atomically: true, encoding: .utf8)

        // Every second seed draws a chosen window (`--at`) that the rewritten windows wrote twice.
        let chosen =
            seed % 2 == 0 ? EventTime(rfc3339: "2026-11-26T11:27:00Z").map { Double($0.nanoseconds) / 1e9 } : nil
        var one = ReportData(chosen: chosen)
        for line in (rolled + live).split(separator: "\n") { one.add(line: Data(line.utf8)) }
        let expected = ReportPage(data: one).render()
        #expect(one.normalized().count == 3)
        #expect(one.normalized().first { $0.model == "fraud" }?.features["amount"]?.alerts.first?.end != nil)
        #expect(expected.contains("top values, chosen window (2026-11-26 11:30)") == (chosen != nil))

        for workers in [1, 2, 3, 7] {
            for buffer in [64, 301, 1 << 16] {
                let data = try MetricFileReader.read(
                    paths, workers: workers, chosen: chosen, partAtLeast: 1, bufferSize: buffer)
                #expect(data.lines == one.lines && data.skipped == one.skipped && data.selfLines == one.selfLines)
                #expect(ReportPage(data: data).render() == expected, "\(workers) workers, a buffer of \(buffer)")
            }
        }
    }

    @Test func aFileThatCannotBeReadIsNamed() {
        #expect(throws: MetricFileReader.ReadError.self) {
            try MetricFileReader.read(["/nonexistent/metrics.jsonl"], workers: 2)
        }
    }

    /// A FIFO named like a metric file is refused at once: opened, it would block the report until a writer came.
    @Test func aFIFOIsRefusedNotWaitedFor() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/metrics.jsonl", 0o600) == 0)
        let error = #expect(throws: MetricFileReader.ReadError.self) {
            try MetricFileReader.read([dir + "/metrics.jsonl"], workers: 2)
        }
        #expect(error?.description.contains("not a regular file") == true)
    }
}

@Suite struct PointColumnsTests {
    /// Rows with measures that come and go, appended in one piece or in two (as parts read apart are), read back as
    /// the points they were; rewritten windows keep their last row.
    @Test func rowsReadBackAsTheirPointsWhateverMeasuresTheyCarry() {
        var rng = SplitMix64(seed: 11)
        var points: [ReportData.Point] = []
        for i in 0..<300 {
            var values = PointValues()
            for (code, name) in PointValues.names.enumerated() where rng.next() % 4 == 0 || (code < 3 && i > 0) {
                values[name] = Double(rng.next() % 1000) / 7
            }
            points.append(.init(end: Double(1000 + (i < 280 ? i : i - 30) * 60), values: values))
        }
        func columns(_ ps: ArraySlice<ReportData.Point>) -> PointColumns {
            var c = PointColumns()
            for p in ps {
                let cells = PointValues.names.enumerated().compactMap { code, name in
                    p.values[name].map { PointColumns.Cell(code: UInt8(code), value: $0) }
                }
                c.append(end: p.end, cells[...])
            }
            return c
        }
        let whole = columns(points[...])
        var halves = columns(points[..<137])
        halves.append(contentsOf: columns(points[137...]))
        for c in [whole, halves] {
            #expect(c.count == points.count)
            #expect((0..<c.count).allSatisfy { c.ends[$0] == points[$0].end && c.values(at: $0) == points[$0].values })
            let kept = c.deduplicated()
            let expected = ReportData.deduplicated(points)
            #expect(kept.ends == expected.map(\.end))
            #expect((0..<kept.count).allSatisfy { kept.values(at: $0) == expected[$0].values })
        }
    }
}

@Suite struct KeyCodesTests {
    @Test func everyNameHasItsCodeAndNothingElseHasOne() {
        let names = PointValues.names + ["kind", "model", "window_end", "window_start", "a", "ab"]
        let keys = KeyCodes(names)
        for (code, name) in names.enumerated() {
            var n = name
            #expect(n.withUTF8 { keys.code(UnsafeRawBufferPointer($0)) } == code)
            for other in [name + "x", String(name.dropLast()), "x" + name.dropFirst(), name.uppercased()]
            where !names.contains(other) {
                var o = other
                #expect(o.withUTF8 { keys.code(UnsafeRawBufferPointer($0)) } == nil, "\(other)")
            }
        }
    }
}
