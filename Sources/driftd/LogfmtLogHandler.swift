import DriftCore
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// driftd's log on standard error: logfmt (`ts=2026-11-26T10:00:00.123Z level=warning msg="line rejected"
/// file=app.jsonl.zst`) or JSON lines (counts and sizes as JSON numbers), with the time of each line (UTC,
/// milliseconds) — except under the systemd
/// journal, which stamps lines itself and gets syslog priority prefixes (`<4>`) so that it keeps the levels.
struct LogfmtLogHandler: LogHandler {
    enum Format: String, CaseIterable {
        case logfmt, json
    }

    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var format: Format = .logfmt
    /// Prefix each line with its syslog priority (set when `$JOURNAL_STREAM` says stderr is the journal).
    var journald = false

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var line = journald ? "<\(priority(event.level))>" : ""
        // Outside the journal a line carries its time (a log collected from a file or a pod has no other).
        let ts = journald ? nil : EventTime(nanoseconds: Telemetry.wallClockNanoseconds()).rfc3339(fractionDigits: 3)
        switch format {
        case .logfmt:
            if let ts { line += "ts=\(ts) " }
            line += "level=\(event.level) msg=\(quoted("\(event.message)"))"
            for key in merged.keys.sorted() { line += " \(key)=\(quoted("\(merged[key]!)"))" }
        case .json:
            line += "{"
            if let ts { line += "\"ts\":\(jsonString(ts))," }
            line += "\"level\":\(jsonString("\(event.level)")),\"msg\":\(jsonString("\(event.message)"))"
            for key in merged.keys.sorted() { line += ",\(jsonString(key)):\(jsonValue(merged[key]!))" }
            line += "}"
        }
        FileHandleStderr.write(line + "\n")
    }

    /// The syslog priority of a level (sd-daemon(3)).
    private func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private func quoted(_ s: String) -> String {
        let plain =
            !s.isEmpty
            && s.utf8.allSatisfy {
                $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=")
                    && $0 != UInt8(ascii: "\\")
            }
        if plain { return s }
        // Values may come from the logs (model and feature names): no control character reaches the log raw.
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A metadata value as JSON: numbers and booleans logged as such (`.stringConvertible(42)`) stay numbers, so
    /// that `jq 'select(.bytes > 1e6)'` and log pipelines compare them; everything else, text.
    private func jsonValue(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .stringConvertible(let v as Bool): return v ? "true" : "false"
        case .stringConvertible(let v as any BinaryInteger): return "\(v)"
        case .stringConvertible(let v as Double) where v.isFinite: return "\(v)"
        case .array(let items): return "[" + items.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let members):
            return "{"
                + members.keys.sorted().map { "\(jsonString($0)):\(jsonValue(members[$0]!))" }
                .joined(separator: ",") + "}"
        default: return jsonString("\(value)")
        }
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Unbuffered writes to standard error (one `write` per message, so lines from threads do not interleave).
enum FileHandleStderr {
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
