/// Why a line was not taken as a record (DESIGN §2: counted as rejected, logged with file and offset).
public enum RejectReason: Hashable, Sendable, CustomStringConvertible {
    case invalidJSON(String)
    case tooLong(limit: Int)
    case notAnObject
    case noTimestamp
    /// The timestamp's text (an ``excerpt(_:)``) or what it is instead (`an object`).
    case badTimestamp(String)
    /// A string timestamp that does not follow `schema.timestamp_format` (the text, the pattern); code
    /// `bad_timestamp`.
    case notInFormat(String, pattern: String)
    /// A date and time without an offset, and no `schema.timezone` to read it in.
    case noOffset(String)
    /// A valid timestamp outside 1678–2261, which the window arithmetic cannot hold.
    case outOfRange(String)
    /// An event time further ahead of the wall clock than `limits.max_future` (DESIGN §3).
    case future(String)
    /// A new model beyond `limits.max_models` (DESIGN §8).
    case tooManyModels(String)

    /// A short stable name, for counters' labels.
    public var code: String {
        switch self {
        case .invalidJSON: "invalid_json"
        case .tooLong: "too_long"
        case .notAnObject: "not_an_object"
        case .noTimestamp: "no_timestamp"
        case .badTimestamp, .notInFormat: "bad_timestamp"
        case .noOffset: "no_offset"
        case .outOfRange: "out_of_range"
        case .future: "future"
        case .tooManyModels: "too_many_models"
        }
    }

    public var description: String {
        switch self {
        case .invalidJSON(let why): "not valid JSON (\(why))"
        case .tooLong(let limit): "line longer than \(limit) bytes"
        case .notAnObject: "not a JSON object"
        case .noTimestamp: "no timestamp"
        case .badTimestamp(let text):
            "timestamp \(text) is neither RFC 3339 (2026-11-26T10:00:00Z, with an offset) nor epoch seconds/milliseconds"
        case .notInFormat(let text, let pattern):
            "timestamp \(text) does not follow schema.timestamp_format \(pattern); fix the pattern (strftime: %Y-%m-%d "
                + "%H:%M:%S,%f %z) or remove it to read RFC 3339 and epoch numbers"
        case .noOffset(let text):
            "timestamp \(text) has no offset: end it with Z for UTC or an offset such as +01:00 (in Python, "
                + "datetime.now(timezone.utc).isoformat()), or set schema.timezone to the zone it is written in "
                + "(UTC, +01:00, Europe/Paris)"
        case .outOfRange(let text): "timestamp \(text) is outside the years 1678–2261 that driftd can hold"
        case .future(let text): "timestamp \(text) is further ahead of the clock than limits.max_future allows"
        case .tooManyModels(let name):
            "model \(name) would exceed limits.max_models; raise the limit, or check where the model names come from"
        }
    }

    /// At most 64 bytes of `bytes` as text fit for a log line: control characters, quotes and backslashes
    /// escaped, invalid UTF-8 replaced, `…` where it was cut.
    public static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        let limit = 64
        var text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        if bytes.count > limit {
            // The cut may split a character: drop a trailing replacement it made.
            if text.last == "\u{FFFD}" { text.removeLast() }
            text += "…"
        }
        return "\"" + escaped(text) + "\""
    }

    /// `text` with control characters, `"` and `\` escaped as in JSON, so that no byte of the input reaches a
    /// log or a terminal raw.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value):
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
