import DriftCore

/// Where a record's parts are, as dotted paths into each JSON line (DESIGN §11 `schema`).
public struct RecordSchema: Hashable, Sendable {
    /// How the features are found.
    public enum Features: Hashable, Sendable {
        /// Every member of the object at this path is a feature, named by its key.
        case object(path: String)
        /// Exactly these paths, each a feature named by its path.
        case list([String])
    }

    public var timestamp: String
    public var model: String
    public var features: Features
    /// An object whose members become `prediction.<key>` features, or a scalar named `prediction`; nil: none.
    public var prediction: String?
    /// Like `prediction`, named `actual` / `actual.<key>`.
    public var actual: String?
    /// The model name given to records without one.
    public var defaultModel: String
    /// The zone of timestamps written without an offset; nil: such a record is rejected, with a message that says
    /// to add one (DESIGN §2).
    public var timezone: LocalTimeZone?
    /// `schema.types`: features whose type is given, not inferred. A number in a categorical feature is the
    /// category of its text (`5014`); a string that is a number in a numeric feature is that number.
    public var types: [String: FeatureType] = [:]
    /// Nested objects in the features object become dotted names (`customer.age`) this many levels down; deeper
    /// objects are invalid values. 0: every object is an invalid value.
    public var flattenDepth = 4
    /// `schema.model_version`: where a record's model version is. Each version of a model has its own windows, and
    /// its lines and alerts carry `model_version`; nil: versions are not told apart.
    public var modelVersion: String?
    /// `schema.timestamp_format`: how string timestamps are written, when not in RFC 3339 (a strftime pattern).
    public var timestampFormat: TimestampFormat?
    /// `schema.request_id`: where a record's request id is, which joins labels that arrive later (DESIGN §12).
    public var requestID: String?

    public init(
        timestamp: String = "ts", model: String = "model", features: Features = .object(path: "features"),
        prediction: String? = "prediction", actual: String? = "actual", defaultModel: String = "default"
    ) {
        self.timestamp = timestamp
        self.model = model
        self.features = features
        self.prediction = prediction
        self.actual = actual
        self.defaultModel = defaultModel
    }

    public static let `default` = RecordSchema()
}

extension RecordSchema {
    /// The shape of a `labels:` line (DESIGN §12): `request_id`, `actual` and `ts`, timestamps read as the
    /// predictions' are.
    public var labels: RecordSchema {
        var s = RecordSchema(
            timestamp: "ts", model: "model", features: .list([]), prediction: nil, actual: "actual",
            defaultModel: defaultModel)
        s.requestID = "request_id"
        s.timezone = timezone
        s.timestampFormat = timestampFormat
        return s
    }
}
