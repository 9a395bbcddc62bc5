/// Where a categorical value's bytes (valid UTF-8, escapes resolved) are in a ``RecordBuffer``'s text.
public struct TextRange: Hashable, Sendable {
    public var start: Int32
    public var count: Int32

    public init(start: Int32, count: Int32) {
        self.start = start
        self.count = count
    }
}
