import DriftCore
import DriftRecords

extension ReportData {
    /// Adds one metric line, its bytes (no newline).
    public mutating func add(line text: UnsafeRawBufferPointer) {
        lines += 1
        guard (try? reader.tape.parse(text)) != nil, reader.tape[0].kind == .object else {
            skipped += 1
            return
        }
        reader.locate(text)
        guard let kindToken = reader.string(.kind) else {
            skipped += 1
            return
        }
        let kind = reader.kind(kindToken, in: text)
        if kind == .driftd {
            selfLines += 1
            return
        }
        guard let model = reader.string(.model), let window = reader.string(.window),
            let endToken = reader.string(.windowEnd)
        else {
            skipped += 1
            return
        }
        // Lines come a window at a time: its end is parsed once.
        guard let t = windowEnd(endToken, text) else {
            skipped += 1
            return
        }
        guard let kind else { return }  // a kind of line this report does not draw
        if kind == .feature && reader.string(.feature) == nil {
            skipped += 1
            return
        }
        let g = groupIndex(model: model, window: window, version: reader.string(.modelVersion), text)
        if kind == .feature {
            addFeature(text, at: t, to: g)
        } else {
            let o = MetricLine(tape: reader.tape, text: text)
            Self.add(o, kind: kind, at: t, to: &builders.values[g])
        }
    }

    private mutating func windowEnd(_ token: Int, _ text: UnsafeRawBufferPointer) -> Double? {
        if let raw = reader.raw(token, in: text), raw.elementsEqual(reader.endText) { return reader.end }
        let endText = reader.tape.string(at: token, in: text)
        guard let end = EventTime(rfc3339: endText) else { return nil }
        reader.endText = Array(endText.utf8)
        reader.end = Double(end.nanoseconds) / 1e9
        return reader.end
    }

    /// The group of the line's model (each version of a model a series of its own: `schema.model_version`) and
    /// window; the same as the line before's without a lookup when it names the same.
    private mutating func groupIndex(model: Int, window: Int, version: Int?, _ text: UnsafeRawBufferPointer) -> Int {
        let spelled = reader.spellSeries(model: model, version: version, window: window, in: text)
        if spelled && reader.group >= 0 && reader.series == reader.lastSeries { return reader.group }
        let name = reader.tape.string(at: model, in: text)
        let shown = version.map { "\(name) @ \(reader.tape.string(at: $0, in: text))" } ?? name
        let windowName = reader.tape.string(at: window, in: text)
        let key = SeriesID(model: shown, window: windowName)
        let g =
            builders.index(forKey: key)
            ?? builders.updateValue(
                GroupBuilder(model: shown, window: windowName), forKey: key, insertingAt: builders.count
            )
            .index
        swap(&reader.series, &reader.lastSeries)
        reader.group = spelled ? g : -1
        return g
    }

    private mutating func addFeature(_ text: UnsafeRawBufferPointer, at t: Double, to g: Int) {
        let name = reader.string(.feature)!
        let s =
            if let raw = reader.raw(name, in: text) {
                builders.values[g].seriesIndex(raw)
            } else {
                builders.values[g].seriesIndex(reader.tape.string(at: name, in: text))
            }
        if builders.values[g].series.values[s].type.isEmpty, let type = reader.string(.type) {
            builders.values[g].series.values[s].type = reader.tape.string(at: type, in: text)
        }
        reader.gatherMeasures(text)
        builders.values[g].series.values[s].columns.append(end: t, reader.cells[...])
        if reader.hasDistribution {
            builders.values[g].series.values[s].consider(text, end: t, psi: reader.psi, at: chosen)
        }
    }

    /// Window, performance and alert lines: one per window or fewer, read by name.
    private static func add(_ o: MetricLine, kind: LineReader.LineKind, at t: Double, to group: inout GroupBuilder) {
        switch kind {
        case .window:
            var values = PointValues()
            for key in ["records", "late", "rejected", "accuracy", "mae"] {
                if let v = o.double(key) { values[key] = v }
            }
            // Realized where the records carry the actual; estimated (CBPE) where the reference can.
            for key in ["accuracy", "roc_auc", "f1"] {
                if let v = o.double(key) { values["realized_" + key] = v }
            }
            for (key, v) in o.object("estimated")?.numbers ?? [] where key != "records" {
                values["estimated_" + key] = v
            }
            group.points.append(Point(end: t, values: values))
            for name in o.strings("new_features") ?? [] { group.newFeatures.insert(name) }
        case .performance:
            var values = PointValues()
            for key in ["accuracy", "roc_auc", "f1", "mae", "rmse"] {
                if let v = o.double(key) { values["realized_" + key] = v }
            }
            for key in ["labeled", "unmatched"] {
                if let v = o.double(key) { values[key] = v }
            }
            group.performance.append(Point(end: t, values: values))
        case .alert:
            let event = AlertEvent(
                name: o.string("alertname") ?? "", severity: o.string("severity") ?? "",
                firing: o.string("state") == "firing", end: t)
            let feature = o.string("feature") ?? ""
            if feature.isEmpty {
                group.alerts.append(event)
            } else {
                group.series.values[group.seriesIndex(feature)].alerts.append(event)
            }
        case .feature, .driftd:
            return
        }
    }
}
