import DriftAlerts
import DriftCore
import DriftHooks
import DriftTestSupport
import Foundation
import Testing

/// Hooks against real programs and a real HTTP server on 127.0.0.1.
@Suite struct HookTests {
    let dir = TemporaryDirectory()

    static func event(
        model: String = "fraud-v3", feature: String = "amount", _ transition: AlertEvent.Transition = .fired
    )
        -> AlertEvent
    {
        let labels = [
            "alertname": "FeatureDrift", "model": model, "feature": feature, "window": "5m", "severity": "critical",
        ]
        let alert = Alert(
            status: transition == .resolved ? .resolved : .firing, labels: labels,
            annotations: ["summary": "\(feature) drifted", "value": "0.31", "threshold": "0.2"],
            startsAt: EventTime(seconds: 1_795_651_500),
            endsAt: transition == .resolved ? EventTime(seconds: 1_795_651_800) : nil,
            windowStart: EventTime(seconds: 1_795_651_200), windowEnd: EventTime(seconds: 1_795_651_500), value: 0.31,
            threshold: 0.2)
        return AlertEvent(transition: transition, alert: alert)
    }

    /// Blocks `signals` in the calling thread; returns what restores its mask.
    static func block(_ signals: [Int32]) -> () -> Void {
        var blocked = sigset_t()
        var old = sigset_t()
        sigemptyset(&blocked)
        for sig in signals { sigaddset(&blocked, sig) }
        pthread_sigmask(SIG_BLOCK, &blocked, &old)
        return { pthread_sigmask(SIG_SETMASK, &old, nil) }
    }

    func script(_ name: String, _ body: String) throws -> String {
        let path = dir.file(name)
        try writeFile(path, "#!/bin/sh\n" + body)
        chmod(path, 0o755)
        return path
    }

    @Test func aWebhookAnswering500TwiceThen200GetsExactlyOneDelivery() throws {
        let server = try TestHTTPServer(statuses: [500, 500, 200])
        let hook = try HTTPHook(
            name: "bridge", url: server.url + "/hook", kind: .webhook, timeout: .seconds(5),
            attempts: 5, backoff: .milliseconds(20))
        try hook.deliver([Self.event()])
        #expect(server.requests.count == 3, "two failures retried, then one success")
        let delivered = server.requests.last!
        #expect(delivered.method == "POST" && delivered.path == "/hook")
        let payload = try #require(JSONSerialization.jsonObject(with: Data(delivered.body)) as? [String: Any])
        #expect(payload["version"] as? String == "4")
        #expect(payload["status"] as? String == "firing")
        let alerts = try #require(payload["alerts"] as? [[String: Any]])
        #expect((alerts.first?["labels"] as? [String: String])?["feature"] == "amount")
        // Nothing is sent for an alert that only goes on firing.
        try hook.deliver([Self.event(.stillFiring)])
        #expect(server.requests.count == 3)
    }

    @Test func aWebhookThatNeverSucceedsFailsAfterItsAttempts() throws {
        let server = try TestHTTPServer(statuses: [503])
        let hook = try HTTPHook(
            name: "down", url: server.url, kind: .webhook, timeout: .seconds(5), attempts: 3,
            backoff: .milliseconds(10))
        #expect(throws: DriftError.self) { try hook.deliver([Self.event()]) }
        #expect(server.requests.count == 3)
    }

    @Test func alertmanagerGetsPostableAlertsAtItsAPI() throws {
        let server = try TestHTTPServer(statuses: [200])
        let hook = try HTTPHook(name: "am", url: server.url + "/", kind: .alertmanager, timeout: .seconds(5))
        let before = Telemetry.wallClockNanoseconds()
        try hook.deliver([Self.event(.stillFiring), Self.event(feature: "age", .resolved)])
        let after = Telemetry.wallClockNanoseconds()
        let request = try #require(server.requests.first)
        #expect(request.path == "/api/v2/alerts")
        let alerts = try #require(JSONSerialization.jsonObject(with: Data(request.body)) as? [[String: Any]])
        #expect(alerts.count == 2, "firing alerts are re-sent, as Prometheus does")
        #expect((alerts[1]["endsAt"] as? String) == "2026-11-26T00:10:00.000Z", "a resolution carries its end")
        // A firing alert's endsAt lies four windows (20 minutes) ahead of now: Alertmanager resolves it by itself
        // if driftd stops re-sending it, not before.
        let firingEnd = try #require((alerts[0]["endsAt"] as? String).flatMap(EventTime.init(rfc3339:)))
        let validFor: Int64 = 4 * 300 * 1_000_000_000
        #expect(
            (before + validFor - 1_000_000...after + validFor + 1_000_000).contains(firingEnd.nanoseconds),
            "endsAt \(firingEnd) is now + 20 minutes")
    }

    @Test func execPassesDataFromTheLogsOnlyAsData() throws {
        let pwned = dir.file("pwned")
        let model = "$(touch \(pwned)); \" `touch \(pwned)` '"
        let out = dir.file("out")
        let hook = ExecHook(
            name: "printer",
            argv: [try script("hook.sh", "printf '%s\\n' \"$DRIFTD_MODEL\" > \(out).env\ncat > \(out).json\n")],
            timeout: .seconds(5), telemetry: quietTelemetry())
        try hook.deliver([Self.event(model: model)])
        #expect(!FileManager.default.fileExists(atPath: pwned), "nothing from the logs was run")
        #expect(String(decoding: try readFile(out + ".env"), as: UTF8.self) == model + "\n")
        let payload = try #require(
            JSONSerialization.jsonObject(with: Data(try readFile(out + ".json"))) as? [String: Any])
        #expect((payload["commonLabels"] as? [String: String])?["model"] == model)
    }

    @Test func aFailingProgramIsReported() throws {
        let hook = ExecHook(
            name: "bad", argv: [try script("fail.sh", "exit 3\n")], timeout: .seconds(5),
            telemetry: quietTelemetry())
        do {
            try hook.deliver([Self.event()])
            Issue.record("a failing hook succeeded")
        } catch {
            #expect(error.message.contains("exited with status 3"))
        }
    }

    /// driftd blocks SIGTERM, SIGINT and SIGHUP for its signal sources and ignores SIGPIPE; a program inherits both
    /// across exec. A hook started so never saw the SIGTERM of its timeout, and got write errors where a closed
    /// pipe should have ended it.
    @Test func aHookStartsWithNoSignalBlockedOrIgnored() throws {
        let out = dir.file("signals")
        let restore = Self.block([SIGTERM, SIGINT, SIGHUP])  // as in driftd run: every thread blocks them
        defer { restore() }
        let hook = ExecHook(
            name: "signals", argv: [try script("signals.sh", "grep -E '^Sig(Blk|Ign):' /proc/self/status > \(out)\n")],
            timeout: .seconds(5), telemetry: quietTelemetry())
        try hook.deliver([Self.event()])
        // The standard signals, 1 to 31: glibc's spawn itself leaves its internal ones, 32 and 33, ignored.
        let masks = splitLines(try readFile(out)).map {
            UInt64($0.split(separator: "\t")[1], radix: 16).map { $0 & 0x7FFF_FFFF }
        }
        #expect(masks == [0, 0], "blocked, then ignored")
    }

    /// A hook that outlives its timeout gets SIGTERM first, and the two seconds to act on it.
    @Test func aHookPastItsTimeoutGetsSIGTERMFirst() throws {
        let out = dir.file("term")
        let restore = Self.block([SIGTERM])
        defer { restore() }
        let program = try script("trap.sh", "trap 'echo cleaned up > \(out); exit 0' TERM\nsleep 30 &\nwait\n")
        let hook = ExecHook(name: "trap", argv: [program], timeout: .seconds(1), telemetry: quietTelemetry())
        #expect(throws: DriftError.self) { try hook.deliver([Self.event()]) }
        #expect(String(decoding: (try? readFile(out)) ?? [], as: UTF8.self) == "cleaned up\n")
    }

    /// A hook that hangs is killed at its timeout — with the children it started — and never holds up the caller.
    @Test func aHangingHookIsKilledAtItsTimeoutWithoutBlockingTheCaller() throws {
        let pids = dir.file("pids")
        let program = try script("hang.sh", "sleep 60 &\necho $! > \(pids)\nsleep 60\n")
        let telemetry = quietTelemetry()
        let worker = HookWorker(
            hook: ExecHook(name: "hang", argv: [program], timeout: .seconds(1), telemetry: telemetry),
            capacity: 2, telemetry: telemetry)
        let started = Date()
        for _ in 0..<10 { worker.offer([Self.event()]) }  // the pipeline keeps handing over events
        #expect(Date().timeIntervalSince(started) < 0.5, "offer never waits")
        #expect(telemetry.counter("hook_dropped_total") >= 7, "a full queue drops, and counts")
        #expect(waitFor(5, every: 0.02) { telemetry.counter("hook_timeouts_total") >= 1 })
        let child = try #require(
            Int32(String(decoding: try readFile(pids), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(
            waitFor(3, every: 0.02) { kill(child, 0) != 0 }, "its background child was killed with its process group")
        worker.close(timeout: .seconds(8))
        #expect(telemetry.counter("hook_failures_total") >= 1)
    }
}
