/// One feature's value in one record, as DESIGN §2 classifies it.
public enum FeatureValue: Hashable, Sendable {
    /// A JSON number (including the non-finite `NaN`/`Infinity` that some writers emit).
    case number(Double)
    /// A JSON string, or a boolean as `"true"`/`"false"`: a categorical value.
    case category(String)
    /// JSON `null`. (An absent feature is missing too, but has no value at all.)
    case null
    /// An object or array: invalid for numeric and categorical features alike.
    case structured
}
