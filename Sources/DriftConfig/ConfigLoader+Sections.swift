import DriftAlerts
import DriftCore
import DriftRecords
import DriftWindows
import Yams

/// Each section of the config (DESIGN §11), read and checked: a problem is reported with its line and what to
/// write instead, and the section takes its defaults for what is absent.
extension ConfigLoader {
    /// `http: {listen: "127.0.0.1:9797"}`: a literal address (IPv6 in brackets) or `localhost`, and a port.
    static func readHTTP(_ node: Node, _ r: ConfigReader) -> DriftConfig.HTTP? {
        let m = r.mapping(node, at: "http", allowed: knownKeys["http"]!)
        guard let listen = m["listen"] else {
            r.report(node, "http needs 'listen', e.g. http: {listen: \"127.0.0.1:9797\"}")
            return nil
        }
        guard let text = r.nonEmptyString(listen, at: "http.listen") else { return nil }
        guard let parsed = DriftConfig.HTTP(listen: text) else {
            r.report(
                listen,
                "http.listen must be HOST:PORT with an IP address or localhost, e.g. \"127.0.0.1:9797\" (this host "
                    + "only), \"[::1]:9797\" or \"0.0.0.0:9797\" (every interface); got \"\(text)\"")
            return nil
        }
        return parsed
    }

    static func readLimits(_ node: Node, _ r: ConfigReader) -> DriftConfig.Limits {
        let m = r.mapping(node, at: "limits", allowed: knownKeys["limits"]!)
        var limits = DriftConfig.Limits()
        if let size = r.size(m["max_line_bytes"], at: "limits.max_line_bytes", minimum: 64, maximum: 64 << 20) {
            limits.maxLineBytes = size.bytes
        }
        if let span = r.span(m["max_future"], at: "limits.max_future", positive: false, maximum: .seconds(366 * 86_400))
        {
            limits.maxFuture = span
        }
        if let n = r.int(m["max_models"], at: "limits.max_models", minimum: 1, maximum: 10_000_000) {
            limits.maxModels = n
        }
        if let n = r.int(m["max_features"], at: "limits.max_features", minimum: 1, maximum: 1_000_000) {
            limits.maxFeatures = n
        }
        // zstd frames ask for windows of 1 KiB to 2 GiB (ZSTD_WINDOWLOG_MAX_64 is 31); below 1 MiB no common
        // writer's frames would decode.
        if let size = r.size(m["max_zstd_window"], at: "limits.max_zstd_window", minimum: 1 << 20, maximum: 1 << 31) {
            if size.bytes & (size.bytes - 1) != 0 {
                r.report(m["max_zstd_window"], "limits.max_zstd_window must be a power of two, e.g. 128MiB or 256MiB")
            } else {
                limits.maxZstdWindow = size
            }
        }
        if let n = r.int(m["max_open_files"], at: "limits.max_open_files", minimum: 4, maximum: 65_536) {
            limits.maxOpenFiles = n
        }
        if let n = r.int(m["max_pending_labels"], at: "limits.max_pending_labels", minimum: 1, maximum: 1 << 30) {
            limits.maxPendingLabels = n
        }
        return limits
    }

    static func readInput(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Input? {
        let m = r.mapping(node, at: "inputs[]", allowed: knownKeys["inputs[]"]!)
        guard let path = r.nonEmptyString(m["path"], at: "inputs[].path") else {
            if m["path"] == nil { r.report(node, "each input needs a path: a glob, or - for standard input") }
            return nil
        }
        var input = DriftConfig.Input(path: path == "-" ? path : resolve(path, base))
        if let startAt = r.oneOf(m["start_at"], at: "inputs[].start_at", DriftConfig.Input.StartAt.self) {
            input.startAt = startAt
        }
        return input
    }

    static func readSchema(_ node: Node, _ r: ConfigReader) -> RecordSchema {
        let m = r.mapping(
            node, at: "schema", allowed: knownKeys["schema"]!)
        var schema = RecordSchema.default
        if let s = r.nonEmptyString(m["timestamp"], at: "schema.timestamp") { schema.timestamp = s }
        if let s = r.nonEmptyString(m["model"], at: "schema.model") { schema.model = s }
        if let s = r.nonEmptyString(m["default_model"], at: "schema.default_model") { schema.defaultModel = s }
        if let n = r.int(m["flatten_depth"], at: "schema.flatten_depth", minimum: 0, maximum: 16) {
            schema.flattenDepth = n
        }
        if let node = m["types"] {
            if let mapping = node.mapping {
                for (k, v) in mapping {
                    guard let name = r.nonEmptyString(k, at: "a feature name in schema.types") else { continue }
                    if let type = r.oneOf(v, at: "schema.types.\(name)", FeatureType.self) { schema.types[name] = type }
                }
            } else {
                r.report(
                    node, "schema.types must be a mapping of feature names to types, e.g. {merchant_id: categorical}")
            }
        }
        if let node = m["timezone"], node.null == nil, let s = r.nonEmptyString(node, at: "schema.timezone") {
            if let zone = LocalTimeZone(s) {
                schema.timezone = zone
            } else {
                r.report(
                    m["timezone"],
                    "schema.timezone: \(s) is neither an offset nor a zone name; write UTC, an offset such as +01:00, "
                        + "or an IANA zone such as Europe/Paris")
            }
        }
        // Optional paths: absent or null, none.
        if let n = m["model_version"], n.null == nil {
            schema.modelVersion = r.nonEmptyString(n, at: "schema.model_version")
        }
        if let n = m["request_id"], n.null == nil { schema.requestID = r.nonEmptyString(n, at: "schema.request_id") }
        if let n = m["timestamp_format"], n.null == nil, let s = r.nonEmptyString(n, at: "schema.timestamp_format") {
            do {
                schema.timestampFormat = try TimestampFormat(s)
            } catch {
                r.report(n, "schema.timestamp_format: \(error.description), e.g. \"%d/%b/%Y:%H:%M:%S %z\"")
            }
        }
        if let features = m["features"] {
            if features.scalar != nil, let s = r.nonEmptyString(features, at: "schema.features") {
                schema.features = .object(path: s)
            } else if let list = r.stringList(features, at: "schema.features") {
                schema.features = .list(list)
            }
        }
        // `prediction: null` (or ~) turns profiling of that part off.
        for key in ["prediction", "actual"] {
            guard let n = m[key] else { continue }
            let value: String? = n.null != nil ? nil : r.nonEmptyString(n, at: "schema.\(key)")
            if key == "prediction" { schema.prediction = value } else { schema.actual = value }
        }
        return schema
    }

    static func readWindow(_ node: Node, _ r: ConfigReader) -> WindowSpec? {
        let m = r.mapping(
            node, at: "windows[]", allowed: knownKeys["windows[]"]!)
        guard let size = r.span(m["size"], at: "windows[].size", maximum: EventTime.maxSpan) else {
            if m["size"] == nil { r.report(node, "each window needs a size, e.g. size: 5m") }
            return nil
        }
        var spec = WindowSpec(size: size)
        if let slide = r.span(m["slide"], at: "windows[].slide") {
            if slide > size || size.nanoseconds % slide.nanoseconds != 0 {
                r.report(m["slide"], "windows[].slide must divide the size (\(size)) evenly, e.g. slide: \(size)")
            } else if size.nanoseconds / slide.nanoseconds > WindowSpec.maxWindowsPerRecord {
                // The least whole-second slide that divides the size and keeps within the cap.
                let seconds = size.nanoseconds / 1_000_000_000
                var slideSeconds = max(
                    1, (seconds + Int64(WindowSpec.maxWindowsPerRecord) - 1) / Int64(WindowSpec.maxWindowsPerRecord))
                while slideSeconds < seconds && seconds % slideSeconds != 0 { slideSeconds += 1 }
                let least = Span.seconds(slideSeconds)
                r.report(
                    m["slide"],
                    "windows[].slide \(slide) puts each record in \(size.nanoseconds / slide.nanoseconds) "
                        + "windows of \(size); at most \(WindowSpec.maxWindowsPerRecord) are allowed: make the slide at least \(least)"
                )
            } else {
                spec.slide = slide
            }
        }
        if size.nanoseconds % 1_000_000_000 != 0 || spec.slide.nanoseconds % 1_000_000_000 != 0 {
            r.report(m["size"], "window sizes and slides must be whole seconds")
        }
        if let lateness = r.span(
            m["allowed_lateness"], at: "windows[].allowed_lateness", positive: false,
            maximum: EventTime.maxSpan)
        {
            spec.allowedLateness = lateness
        }
        if let idle = r.span(m["idle_timeout"], at: "windows[].idle_timeout") { spec.idleTimeout = idle }
        if let minCount = r.int(m["min_count"], at: "windows[].min_count") { spec.minCount = minCount }
        return spec
    }

    static func readOutput(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Output {
        let m = r.mapping(node, at: "output", allowed: knownKeys["output"]!)
        var out = DriftConfig.Output()
        if let dir = r.nonEmptyString(m["dir"], at: "output.dir") { out.dir = resolve(dir, base) }
        if let size = r.size(m["max_bytes"], at: "output.max_bytes") { out.maxBytes = size }
        if let age = r.span(m["max_age"], at: "output.max_age") { out.maxAge = age }
        if let keep = r.int(m["keep"], at: "output.keep", minimum: 1) { out.keep = keep }
        if let prom = r.nonEmptyString(m["prometheus_textfile"], at: "output.prometheus_textfile") {
            out.prometheusTextfile = resolve(prom, base)
        }
        if let profiles = r.bool(m["profiles"], at: "output.profiles") { out.profiles = profiles }
        if let instance = r.string(m["instance"], at: "output.instance"), !instance.isEmpty { out.instance = instance }
        return out
    }

    static func readHook(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Hook? {
        let kinds = ["exec", "alertmanager", "webhook", "log"]
        let m = r.mapping(node, at: "hooks[]", allowed: knownKeys["hooks[]"]!)
        let name = r.nonEmptyString(m["name"], at: "hooks[].name")
        if m["name"] == nil { r.report(node, "each hook needs a name, e.g. name: pager") }
        let present = kinds.filter { m[$0] != nil }
        guard present.count == 1 else {
            r.report(node, "each hook needs exactly one of \(kinds.joined(separator: ", ")); found \(present.count)")
            return nil
        }
        var kind: DriftConfig.Hook.Kind?
        switch present[0] {
        case "exec" where m["exec"]?.scalar != nil:
            // A string would be run through no shell: say so, instead of looking for a program named "page --team".
            r.report(
                m["exec"],
                "hooks[].exec is an argv list, never a shell command: write exec: [\"/usr/local/bin/page\", \"--team\", \"ml\"]"
            )
        case "exec":
            if let argv = r.stringList(m["exec"], at: "hooks[].exec") {
                if argv.isEmpty || argv[0].isEmpty {
                    r.report(m["exec"], "hooks[].exec is an argv list: [\"/usr/local/bin/page\", \"--team\", \"ml\"]")
                } else {
                    // A program named by a relative path is found relative to the config, like every path in it.
                    var resolved = argv
                    if argv[0].contains("/") { resolved[0] = resolve(argv[0], base) }
                    kind = .exec(resolved)
                }
            }
        case "alertmanager", "webhook":
            // Alertmanager takes one URL or a list (an HA pair gets every alert); a webhook one URL.
            let node = m[present[0]]!
            let urls =
                present[0] == "alertmanager" && node.scalar == nil
                ? r.stringList(node, at: "hooks[].alertmanager") ?? []
                : r.nonEmptyString(node, at: "hooks[].\(present[0])").map { [$0] } ?? []
            let bad = urls.filter { !($0.hasPrefix("http://") || $0.hasPrefix("https://")) }
            for url in bad {
                r.report(node, "hooks[].\(present[0]) must be an http:// or https:// URL, not '\(url)'")
            }
            if bad.isEmpty, let first = urls.first {
                kind = present[0] == "webhook" ? .webhook(first) : .alertmanager(urls)
            } else if urls.isEmpty && bad.isEmpty {
                r.report(node, "hooks[].\(present[0]) needs a URL, e.g. http://127.0.0.1:9093")
            }
        default:
            kind = .log
        }
        guard let name, let kind else { return nil }
        var hook = DriftConfig.Hook(name: name, kind: kind)
        if let t = r.span(m["timeout"], at: "hooks[].timeout") { hook.timeout = t }
        return hook
    }
}
