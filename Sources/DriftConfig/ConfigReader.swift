import DriftCore
import Yams

/// Reads typed values out of YAML nodes and collects a diagnostic, with file and line, for each problem.
final class ConfigReader {
    let file: String
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    func append(_ diagnostic: ConfigDiagnostic) {
        diagnostics.append(diagnostic)
    }

    func append(contentsOf more: [ConfigDiagnostic]) {
        diagnostics.append(contentsOf: more)
    }

    func report(_ node: Node?, _ message: String) {
        let mark = node?.mark
        diagnostics.append(.init(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The members of a mapping, checking every key against `allowed`. Unknown keys are reported with the
    /// nearest known key as a suggestion.
    func mapping(_ node: Node, at path: String, allowed: [String]) -> [String: Node] {
        guard let mapping = node.mapping else {
            report(node, "\(path) must be a mapping of keys (\(allowed.joined(separator: ", ")))")
            return [:]
        }
        var members: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                report(key, "keys in \(path) must be plain names")
                continue
            }
            guard allowed.contains(name) else {
                let place = path.isEmpty ? "at the top level" : "in \(path)"
                var message = "unknown key '\(name)' \(place)"
                if let near = Suggestion.nearest(to: name, in: allowed) { message += "; did you mean '\(near)'?" }
                message += " Known keys: \(allowed.joined(separator: ", "))."
                report(key, message)
                continue
            }
            members[name] = value
        }
        return members
    }

    func string(_ node: Node?, at path: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            report(node, "\(path) must be a single value, not a list or mapping")
            return nil
        }
        return scalar.string
    }

    func nonEmptyString(_ node: Node?, at path: String) -> String? {
        guard let s = string(node, at: path) else { return nil }
        if s.isEmpty { report(node, "\(path) must not be empty") }
        return s.isEmpty ? nil : s
    }

    func bool(_ node: Node?, at path: String) -> Bool? {
        guard let text = string(node, at: path) else { return nil }
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, "\(path) must be true or false, not '\(text)'")
            return nil
        }
    }

    func int(_ node: Node?, at path: String, minimum: Int = 0, maximum: Int = .max) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let v = Int(text), v >= minimum else {
            report(node, "\(path) must be a whole number ≥ \(minimum), not '\(text)'")
            return nil
        }
        guard v <= maximum else {
            report(node, "\(path) must be at most \(maximum), not \(v)")
            return nil
        }
        return v
    }

    func span(_ node: Node?, at path: String, positive: Bool = true, maximum: Span? = nil) -> Span? {
        guard let text = string(node, at: path) else { return nil }
        guard let span = Span(parsing: text), !positive || span.nanoseconds > 0 else {
            report(node, "\(path) must be a duration such as 30s, 5m, 1h or 1h30m, not '\(text)'")
            return nil
        }
        if let maximum, span > maximum {
            report(node, "\(path) must be at most \(maximum), not \(text)")
            return nil
        }
        return span
    }

    func size(_ node: Node?, at path: String, minimum: Int = 1, maximum: Int = .max) -> ByteSize? {
        guard let text = string(node, at: path) else { return nil }
        guard let size = ByteSize(parsing: text), size.bytes > 0 else {
            report(node, "\(path) must be a size such as 64MiB, 512KiB or 1GiB, not '\(text)'")
            return nil
        }
        guard size.bytes >= minimum, size.bytes <= maximum else {
            report(
                node, "\(path) must be between \(ByteSize(bytes: minimum)) and \(ByteSize(bytes: maximum)), not \(text)"
            )
            return nil
        }
        return size
    }

    func sequence(_ node: Node?, at path: String) -> [Node]? {
        guard let node else { return nil }
        guard let seq = node.sequence else {
            report(node, "\(path) must be a list (lines starting with '- ')")
            return nil
        }
        return Array(seq)
    }

    func stringList(_ node: Node?, at path: String) -> [String]? {
        guard let node else { return nil }
        if node.scalar != nil { return string(node, at: path).map { [$0] } }
        guard let items = sequence(node, at: path) else { return nil }
        return items.compactMap { string($0, at: "an item of \(path)") }
    }

    func stringMap(_ node: Node?, at path: String) -> [String: String]? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            report(node, "\(path) must be a mapping of names to text, e.g. {team: ml}")
            return nil
        }
        var out: [String: String] = [:]
        for (k, v) in mapping {
            guard let key = k.string, let value = string(v, at: "\(path).\(k.string ?? "?")") else { continue }
            out[key] = value
        }
        return out
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ node: Node?, at path: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, at: path) else { return nil }
        guard let v = T(rawValue: text) else {
            report(node, "\(path) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            return nil
        }
        return v
    }
}
