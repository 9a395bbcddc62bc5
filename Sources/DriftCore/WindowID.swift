/// Which window a result is: model, window size (its label, `5m`) and start. The one identity that metric-file
/// repair, checkpoints, the output stage and exactly-once bookkeeping share.
///
/// Encoded as one string (`model`, `window`, start in RFC 3339, joined by U+001F), the form checkpoints have
/// always held.
public struct WindowID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var series: SeriesID
    public var start: EventTime

    public init(model: String, window: String, start: EventTime) {
        series = SeriesID(model: model, window: window)
        self.start = start
    }

    public var model: String { series.model }
    public var window: String { series.window }

    public static func < (a: WindowID, b: WindowID) -> Bool { (a.series, a.start) < (b.series, b.start) }

    /// The checkpoint's form.
    public var key: String { series.model + "\u{1F}" + series.window + "\u{1F}" + start.rfc3339 }

    /// From the checkpoint's form; nil when it is not one.
    public init?(key: String) {
        let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        guard parts.count == 3, let start = EventTime(rfc3339: String(parts[2])) else { return nil }
        self.init(model: String(parts[0]), window: String(parts[1]), start: start)
    }

    public init(from decoder: any Decoder) throws {
        let key = try decoder.singleValueContainer().decode(String.self)
        guard let id = WindowID(key: key) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a window: \(key)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(key)
    }

    public var description: String { "\(series.model) \(series.window) \(start.rfc3339)" }
}

/// A series of windows: one model at one window size. Its windows close in the order of their starts.
public struct SeriesID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var model: String
    public var window: String

    public init(model: String, window: String) {
        self.model = model
        self.window = window
    }

    public static func < (a: SeriesID, b: SeriesID) -> Bool { (a.model, a.window) < (b.model, b.window) }

    /// The checkpoint's form (`model` U+001F `window`).
    public var key: String { model + "\u{1F}" + window }

    public init?(key: String) {
        let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(model: String(parts[0]), window: String(parts[1]))
    }

    public var description: String { "\(model) \(window)" }
}
