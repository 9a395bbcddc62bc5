/// Which predicted or actual label of a binary classifier is the positive class: `1` and `true` (as text or
/// JSON values), the labels scikit-learn and NannyML take as positive by default.
public enum BinaryLabel {
    /// A label's class: `1`/`true` positive, `0`/`false` negative, anything else neither.
    public static func classOf(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true": true
        case "0", "false": false
        default: nil
        }
    }

    /// A numeric actual: 1 is positive, 0 negative, anything else neither.
    public static func isPositive(_ value: Double) -> Bool? {
        value == 1 ? true : value == 0 ? false : nil
    }
}
