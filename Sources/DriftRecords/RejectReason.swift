/// Why a line was not taken as a record (DESIGN §2: counted as rejected, logged with file and offset).
public enum RejectReason: Hashable, Sendable, CustomStringConvertible {
    case invalidJSON(String)
    case tooLong(limit: Int)
    case notAnObject
    case noTimestamp
    case badTimestamp(String)

    /// A short stable name, for counters' labels.
    public var code: String {
        switch self {
        case .invalidJSON: "invalid_json"
        case .tooLong: "too_long"
        case .notAnObject: "not_an_object"
        case .noTimestamp: "no_timestamp"
        case .badTimestamp: "bad_timestamp"
        }
    }

    public var description: String {
        switch self {
        case .invalidJSON(let why): "not valid JSON (\(why))"
        case .tooLong(let limit): "line longer than \(limit) bytes"
        case .notAnObject: "not a JSON object"
        case .noTimestamp: "no timestamp"
        case .badTimestamp(let text): "timestamp \(text) is neither RFC 3339 nor epoch seconds/milliseconds"
        }
    }
}
