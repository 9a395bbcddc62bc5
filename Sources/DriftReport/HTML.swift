import Foundation

/// Text escaping for HTML bodies and attribute values (feature and model names come from the logs).
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `v` with one decimal, as printf's `%.1f` writes it (SVG coordinates).
    static func fixed1(_ v: Double) -> String { format("%.1f", v) }

    /// printf's formatting through the C library: Foundation's `String(format:)` cost an eighth of a report of
    /// 2,000 features in its locale machinery.
    static func format(_ format: String, _ args: any CVarArg...) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            let n = withVaList(args) { vsnprintf(buffer.baseAddress!, 512, format, $0) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(min(max(n, 0), 511))),
                as: UTF8.self)
        }
    }

    /// A number short enough for a label: 3 significant digits.
    static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        if !v.isFinite { return v.isNaN ? "NaN" : (v > 0 ? "∞" : "-∞") }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return format("%.2e", v) }
        let digits = max(0, 2 - Int(floor(log10(a))))
        var text = format("%.*f", Int32(digits), v)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
