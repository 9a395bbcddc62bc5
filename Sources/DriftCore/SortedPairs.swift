/// Encodes a dictionary whose keys are not strings in the form `Codable` gives it — a flat list `[key, value,
/// key, value, …]` — but in key order, so that the same state gives the same bytes (a `Dictionary`'s order
/// changes from process to process). Decode the field as the dictionary itself.
public struct SortedPairs<Key: Encodable & Comparable & Hashable, Value: Encodable>: Encodable {
    public let dictionary: [Key: Value]

    public init(_ dictionary: [Key: Value]) {
        self.dictionary = dictionary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for key in dictionary.keys.sorted() {
            try c.encode(key)
            try c.encode(dictionary[key]!)
        }
    }
}
