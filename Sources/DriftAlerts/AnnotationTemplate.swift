/// Fills `{{ $feature }}`, `{{ $model }}`, `{{ $window }}`, `{{ $value }}`, `{{ $threshold }}` and
/// `{{ $labels.NAME }}` in an annotation, as Prometheus templates do for the common cases.
public enum AnnotationTemplate {
    public static func render(_ template: String, labels: [String: String], value: Double?, threshold: Double?)
        -> String
    {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: " ")
            switch name {
            case "$value": out += format(value)
            case "$threshold": out += format(threshold)
            case "$feature", "$model", "$window", "$severity": out += labels[String(name.dropFirst())] ?? ""
            default:
                if name.hasPrefix("$labels.") {
                    out += labels[String(name.dropFirst("$labels.".count))] ?? ""
                } else {
                    out += rest[open.lowerBound..<close.upperBound]  // not ours: left as written
                }
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// What is wrong with `template`, or nil: a `{{` never closed, or a `{{ $name }}` that is none of the
    /// variables above (which would be left in the alert as written).
    public static func problem(in template: String) -> String? {
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return "'{{' at \"\(rest[open.lowerBound...].prefix(20))\" is never closed with '}}'"
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: " ")
            let known = ["$value", "$threshold", "$feature", "$model", "$window", "$severity"]
            if !known.contains(String(name)) && !(name.hasPrefix("$labels.") && name.count > "$labels.".count) {
                return
                    "unknown template variable '{{ \(name) }}'; use one of \(known.joined(separator: ", ")) or $labels.NAME"
            }
            rest = rest[close.upperBound...]
        }
        return nil
    }

    /// A value for people: four significant digits, `-` when absent.
    public static func format(_ value: Double?) -> String {
        guard let value, value.isFinite else { return value.map { "\($0)" } ?? "-" }
        if value == 0 { return "0" }
        let magnitude = Int((abs(value)).log10Floor)
        let scale = pow10(3 - magnitude)
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }

    private static func pow10(_ n: Int) -> Double {
        var p = 1.0
        if n >= 0 { for _ in 0..<n { p *= 10 } } else { for _ in 0..<(-n) { p /= 10 } }
        return p
    }
}

extension Double {
    fileprivate var log10Floor: Double {
        var n = 0.0
        var x = self
        while x >= 10 {
            x /= 10
            n += 1
        }
        while x < 1 {
            x *= 10
            n -= 1
        }
        return n
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}

extension AnnotationTemplate {
    /// `s` with every byte but RFC 3986's unreserved characters percent-encoded, for a value inside a URL.
    public static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
