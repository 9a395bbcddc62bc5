/// The error every driftd module throws: a stable code for programs, a message for people, and the error that
/// caused it, if any.
///
/// Shaped like swift-nio's and swift-service-lifecycle's errors: a struct over a code, so that codes can be
/// added without breaking callers. The message says what is wrong and, where it can, what to do; it already
/// includes what the cause said, which stays available for programs. Equal when code and message are.
public struct DriftError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        public static let io = Code("io")
        public static let input = Code("input")
        /// What the config names is unusable (a reference profile that cannot be read): exit 2, as an invalid config.
        public static let config = Code("config")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    /// The underlying error (a decoding error, a `ProfileError`, …).
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    public static func == (a: DriftError, b: DriftError) -> Bool { a.code == b.code && a.message == b.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
