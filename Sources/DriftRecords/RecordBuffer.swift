/// Records stored flat: their headers, one array of all their feature values and one of all their categorical
/// text. A batch of lines parses into one buffer, so a record costs no allocation of its own, and the values
/// (plain data) can be read from any thread.
public struct RecordBuffer: Sendable {
    /// A feature id and its value. The value comes first: that way round the pair takes 16 bytes, not 24 (the
    /// enum's tag byte would push the id to the next 8-byte word).
    public typealias Value = (value: FeatureValue, feature: Int32)

    public internal(set) var records: [Record] = []
    /// Feature id (in the mapper's `features` interner) and value, record after record.
    public internal(set) var values: [Value] = []
    /// The bytes that ``FeatureValue/category(_:)`` and the labels point into.
    public internal(set) var text: [UInt8] = []

    public init() {}

    /// Empties the buffer, keeping its storage.
    public mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }

    /// Reserves room for `count` records shaped like an earlier buffer's (`like`: its records, values, text).
    public mutating func reserve(records count: Int, like earlier: (records: Int, values: Int, text: Int)) {
        records.reserveCapacity(count)
        guard earlier.records > 0 else { return }
        // An eighth more than the earlier shape: growing a megabyte array half-way costs a copy of all of it.
        values.reserveCapacity(count * earlier.values / earlier.records * 9 / 8 + 64)
        text.reserveCapacity(count * earlier.text / earlier.records * 9 / 8 + 256)
    }

    /// The values of `record`.
    public func values(of record: Record) -> ArraySlice<Value> { values[record.values] }

    /// Gives the value at `index` the feature id `id`: one that names no feature, so that aggregation skips it
    /// (a feature beyond its model's limit).
    public mutating func markDropped(value index: Int, as id: Int32) {
        values[index].feature = id
    }

    /// The text of a categorical value or label.
    public func string(_ range: TextRange) -> String {
        text.withUnsafeBytes { String(decoding: Self.bytes(range, in: $0), as: UTF8.self) }
    }

    /// The bytes of `range` in `text` (the buffer's text, borrowed with `withUnsafeBytes`).
    @inline(__always)
    public static func bytes(_ range: TextRange, in text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: text[Int(range.start)..<Int(range.start + range.count)])
    }

    /// Appends `bytes` to the text; returns where they are.
    mutating func appendText(_ bytes: UnsafeRawBufferPointer) -> TextRange {
        let range = TextRange(start: Int32(text.count), count: Int32(bytes.count))
        text.append(contentsOf: bytes)
        return range
    }

    /// The buffer's values and text, borrowed for the hot path: no bounds checks beyond the slices, no
    /// reference counting per access.
    public struct View {
        public let values: UnsafeBufferPointer<Value>
        public let text: UnsafeRawBufferPointer

        /// The values of `record`.
        @inline(__always)
        public func values(of record: Record) -> UnsafeBufferPointer<Value> {
            UnsafeBufferPointer(rebasing: values[record.values])
        }

        /// The bytes of a categorical value or label.
        @inline(__always)
        public func bytes(_ range: TextRange) -> UnsafeRawBufferPointer { RecordBuffer.bytes(range, in: text) }
    }

    /// Calls `body` with a view of the buffer, valid only inside it.
    public func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { values in
            try text.withUnsafeBytes { text in try body(View(values: values, text: text)) }
        }
    }
}
