/// A model's name and, with `schema.model_version`, its version: each version has its own windows, alert states and
/// lines (DESIGN §2). Inside the aggregator the pair is one string, the name and the version joined by U+001E, a
/// control character that JSON text carries only escaped and that the mapper removes from names and versions (with
/// U+001F, which separates the parts of a checkpoint's window keys); the drift stage splits it again.
public enum ModelKey {
    public static let separator: UInt8 = 0x1E

    /// The key of `model` at `version`.
    public static func join(_ model: String, version: String) -> String {
        model + "\u{1E}" + version
    }

    /// The name and the version (nil: none) of a key.
    public static func split(_ key: String) -> (model: String, version: String?) {
        guard let i = key.utf8.firstIndex(of: separator) else { return (key, nil) }
        return (String(key[..<i]), String(key[key.utf8.index(after: i)...]))
    }
}
