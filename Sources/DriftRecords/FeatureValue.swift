/// One feature's value in one record, as DESIGN §2 classifies it.
///
/// A plain value with no references: a record's categorical text lives in its ``RecordBuffer``, so that values
/// cost no reference counting, allocation or destruction on the hot path.
public enum FeatureValue: Hashable, Sendable {
    /// A JSON number (including the non-finite `NaN`/`Infinity` that some writers emit).
    case number(Double)
    /// A JSON string, or a boolean as `"true"`/`"false"`: a categorical value, as its UTF-8 bytes in the
    /// buffer's ``RecordBuffer/text``.
    case category(TextRange)
    /// JSON `null`. (An absent feature is missing too, but has no value at all.)
    case null
    /// An object or array: invalid for numeric and categorical features alike.
    case structured
    /// The record has values of this multi-valued feature (`tags[]`, from an array of strings): they follow as
    /// categories. A multi-valued feature's missing records are those without this mark (DESIGN §2).
    case elements
}
