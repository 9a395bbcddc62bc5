/// Which class of a binary classifier is the positive one (`performance.positive_label`, DESIGN §12). By default
/// `1` and `true` are positive and `0` and `false` negative (as text, JSON booleans or numbers), the labels
/// scikit-learn and NannyML take by default, and any other label is not a binary class. With a label given, that
/// label is positive and every other negative.
public struct PositiveClass: Hashable, Sendable {
    /// The configured positive label's text; nil: the default.
    public var label: String?

    public init(label: String? = nil) {
        self.label = label
    }

    /// The class of a label's text; nil when it is not a binary class.
    public func of(_ text: some Collection<UInt8>) -> Bool? {
        if let label { return text.elementsEqual(label.utf8) }
        guard text.count <= 5 else { return nil }
        return BinaryLabel.classOf(String(decoding: text, as: UTF8.self))
    }

    /// The class of a numeric label.
    public func of(_ value: Double) -> Bool? {
        if let label { return Double(label).map { $0 == value } ?? false }
        return BinaryLabel.isPositive(value)
    }
}
