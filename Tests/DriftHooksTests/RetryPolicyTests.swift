import DriftCore
import DriftHooks
import DriftTestSupport
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    @Test(arguments: [
        (RetryPolicy.Failure.transport("connection refused"), true), (.status(500), true), (.status(503), true),
        (.status(429), true), (.status(408), true), (.status(400), false), (.status(404), false), (.status(422), false),
    ])
    func whatIsRetried(failure: RetryPolicy.Failure, retried: Bool) {
        #expect(RetryPolicy().isRetryable(failure) == retried)
    }

    @Test func waitsDoubleUpToTheirCapAndStopAtTheLastAttempt() {
        let policy = RetryPolicy(attempts: 6, backoff: .seconds(10), maxWait: .seconds(30))
        let waits = (1...6).map { policy.wait(after: $0, failure: .status(503)) }
        #expect(waits == [.seconds(10), .seconds(20), .seconds(30), .seconds(30), .seconds(30), nil])
        #expect(policy.wait(after: 1, failure: .status(400)) == nil)
    }

    /// HTTP hooks retried 4xx answers: a receiver that refuses the payload was sent it five times.
    @Test func aWebhookAnswering400IsNotRetried() throws {
        let server = try TestHTTPServer(statuses: [400])
        let hook = try HTTPHook(
            name: "strict", url: server.url, kind: .webhook, timeout: .seconds(5), attempts: 5,
            backoff: .milliseconds(10))
        do {
            try hook.deliver([HookTests.event()])
            Issue.record("a 400 was taken for a delivery")
        } catch {
            #expect(error.message.contains("answered HTTP 400, which is not retried"))
        }
        #expect(server.requests.count == 1)
    }
}
