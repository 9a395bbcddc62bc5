import DriftAlerts
import Testing

/// The alert state machine, table-driven: a rule's `for` and `keep_firing_for`, a run of window verdicts, and
/// the transitions they must produce.
@Suite struct AlertStateTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var forWindows: Int
        var keepFiringFor: Int
        var verdicts: String  // one character per window: "1" the condition held, "0" it did not
        var transitions: String  // per window: "." none, "F" fired, "s" still firing, "R" resolved

        var description: String { name }
    }

    static let cases: [Case] = [
        .init(name: "fires at once with for 1", forWindows: 1, keepFiringFor: 0, verdicts: "0110", transitions: ".FsR"),
        .init(
            name: "pending until for windows in a row", forWindows: 3, keepFiringFor: 0, verdicts: "11011100",
            transitions: ".....FR."),
        .init(
            name: "a gap resets pending", forWindows: 2, keepFiringFor: 0, verdicts: "1010110", transitions: ".....FR"),
        .init(
            name: "keep_firing_for holds it through clear windows", forWindows: 1, keepFiringFor: 2,
            verdicts: "1001000", transitions: "FsssssR"),
        .init(
            name: "the condition returning while kept firing continues it", forWindows: 1, keepFiringFor: 1,
            verdicts: "1010100", transitions: "FsssssR"),
        .init(name: "never met: nothing", forWindows: 1, keepFiringFor: 3, verdicts: "0000", transitions: "...."),
        .init(
            name: "fires again after resolving", forWindows: 1, keepFiringFor: 0, verdicts: "1011", transitions: "FRFs"),
    ]

    @Test(arguments: cases)
    func transitions(_ c: Case) {
        var state = AlertState()
        var got = ""
        for (i, v) in c.verdicts.enumerated() {
            let t = state.step(met: v == "1", forWindows: c.forWindows, keepFiringFor: c.keepFiringFor, now: Int64(i))
            switch t {
            case nil: got += "."
            case .fired: got += "F"
            case .stillFiring: got += "s"
            case .resolved: got += "R"
            }
        }
        #expect(got == c.transitions)
    }

    @Test func firingRemembersWhenItStarted() {
        var state = AlertState()
        _ = state.step(met: true, forWindows: 1, keepFiringFor: 0, now: 100)
        _ = state.step(met: true, forWindows: 1, keepFiringFor: 0, now: 200)
        #expect(state.phase == .firing(since: 100, clear: 0))
    }
}
