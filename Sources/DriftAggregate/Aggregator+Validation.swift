import DriftCore
import DriftWindows

extension Aggregator.State {
    /// What makes this checkpoint state unusable with the configured windows, or nil. A state from a damaged or
    /// hostile file must not reach the window arithmetic: a slide of 0 divides by zero, a window start near the end
    /// of 64 bits overflows its end.
    public func problem(windows specs: [WindowSpec]) -> String? {
        // Other window sizes are not a fault: the configuration changed, and the open windows are dropped.
        guard windows == specs.map(\.label) else { return nil }
        let edge = EventTime.representable
        let lowest = (edge.lowerBound - EventTime.maxSpan).nanoseconds
        let highest = (edge.upperBound + EventTime.maxSpan).nanoseconds
        for model in models {
            guard model.specs.count == specs.count else {
                return "model \(model.model): \(model.specs.count) window sizes"
            }
            for (i, (perSpec, spec)) in zip(model.specs, specs).enumerated() {
                let t = perSpec.tracker
                guard t.spec.size == spec.size, t.spec.slide == spec.slide,
                    (Span.zero...EventTime.maxSpan).contains(t.spec.allowedLateness)
                else { return "model \(model.model): window \(t.spec.label) is not the configured \(spec.label)" }
                if let m = t.maxEventTime, !m.isRepresentable {
                    return "model \(model.model): newest event time \(m.nanoseconds)"
                }
                if let c = t.closedThrough, !(lowest...highest).contains(c) {
                    return "model \(model.model): closed through \(c)"
                }
                for start in t.open where !(lowest...highest).contains(start) || start % spec.slide.nanoseconds != 0 {
                    return "model \(model.model): an open window starts at \(start)"
                }
                guard Set(perSpec.open.keys).isSubset(of: Set(t.open)), perSpec.pendingLate >= 0,
                    perSpec.pendingRejected >= 0
                else { return "model \(model.model): open windows disagree with the tracker" }
                for window in perSpec.open.values where window.records < 0 || window.late < 0 || window.rejected < 0 {
                    return "model \(model.model): a negative count"
                }
                // A window feeds a coarser size listed after it; its part kept apart is one window without parts.
                for window in perSpec.open.values {
                    if let f = window.feeds, !(i + 1..<specs.count).contains(Int(f)) {
                        return "model \(model.model): a window feeds window size \(f)"
                    }
                    if window.direct.count > 1
                        || window.direct.contains(where: { $0.records < 0 || !$0.direct.isEmpty })
                    {
                        return "model \(model.model): a malformed part of a window"
                    }
                }
            }
        }
        guard records >= 0, rejected >= 0, pendingRejected >= 0, unattributedRejected >= 0 else {
            return "a negative count"
        }
        return nil
    }
}
