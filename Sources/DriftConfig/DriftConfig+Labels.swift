import DriftCore
import DriftStats

extension DriftConfig {
    /// A `labels:` entry (DESIGN §12): JSON lines of `{request_id, actual, ts}`, tailed like an input, whose
    /// labels arrive up to `maxDelay` after their prediction.
    public struct LabelInput: Hashable, Sendable {
        public var input: Input
        public var maxDelay: Span

        public init(input: Input, maxDelay: Span = LabelInput.defaultMaxDelay) {
            self.input = input
            self.maxDelay = maxDelay
        }

        public static let defaultMaxDelay = Span.seconds(86_400)
    }

    /// How long the label join waits for a label: the longest `max_delay` of the `labels:` entries.
    public var labelDelay: Span { labels.map(\.maxDelay).max() ?? LabelInput.defaultMaxDelay }

    /// Every glob `run` follows: the inputs', then the labels'.
    public var followedGlobs: [(path: String, startAtEnd: Bool, labels: Bool)] {
        inputs.map { ($0.path, $0.startAt == .end, false) }
            + labels.map { ($0.input.path, $0.input.startAt == .end, true) }
    }
}
