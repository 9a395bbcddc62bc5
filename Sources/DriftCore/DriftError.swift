/// The error every driftd module throws: a stable code for programs, a message for people.
///
/// Shaped like swift-nio's and swift-service-lifecycle's errors: a struct over a code, so that codes can be
/// added without breaking callers. The message says what is wrong and, where it can, what to do.
public struct DriftError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        public static let io = Code("io")
        public static let input = Code("input")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
