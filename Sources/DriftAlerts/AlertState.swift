/// The state of one alert — one (rule, model, feature, window size) — and its transitions (DESIGN §7):
/// inactive → pending → firing → resolved (inactive again). Pure: each window's verdict in, a transition out.
public struct AlertState: Hashable, Sendable, Codable {
    public enum Phase: Hashable, Sendable, Codable {
        case inactive
        /// The condition held in `windows` consecutive windows, fewer than the rule's `for`.
        case pending(windows: Int)
        /// Firing since `since` (wall-clock nanoseconds); the condition has not held in `clear` windows.
        case firing(since: Int64, clear: Int)
    }

    public var phase: Phase = .inactive

    public init(phase: Phase = .inactive) {
        self.phase = phase
    }

    /// One window's verdict. `met`: the condition held in a window of at least `min_count` records.
    public mutating func step(met: Bool, forWindows: Int, keepFiringFor: Int, now: Int64) -> AlertEvent.Transition? {
        switch phase {
        case .inactive, .pending:
            guard met else {
                phase = .inactive
                return nil
            }
            let held = (phase.pendingWindows ?? 0) + 1
            if held >= forWindows {
                phase = .firing(since: now, clear: 0)
                return .fired
            }
            phase = .pending(windows: held)
            return nil
        case .firing(let since, let clear):
            if met {
                phase = .firing(since: since, clear: 0)
                return .stillFiring
            }
            if clear + 1 > keepFiringFor {
                phase = .inactive
                return .resolved
            }
            phase = .firing(since: since, clear: clear + 1)
            return .stillFiring
        }
    }
}

extension AlertState.Phase {
    var pendingWindows: Int? {
        if case .pending(let n) = self { return n }
        return nil
    }
}
