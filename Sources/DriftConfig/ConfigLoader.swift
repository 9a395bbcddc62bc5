import DriftAlerts
import DriftCore
import DriftRecords
import DriftWindows
import Yams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads and validates a driftd config (DESIGN §11). Every problem is reported with file, line and column, and
/// what is expected instead; unknown keys are errors, with the nearest known key suggested.
public enum ConfigLoader {
    static let topKeys = [
        "inputs", "schema", "windows", "reference", "output", "state_dir", "limits", "rules", "rule_files", "hooks",
    ]

    /// Every key the config knows, by section (`inputs[]` for a list's items): the contract of DESIGN §11 and
    /// what driftd adds to it.
    public static let knownKeys: [String: [String]] = [
        "": topKeys,
        "inputs[]": ["path", "start_at"],
        "schema": ["timestamp", "model", "features", "prediction", "actual", "default_model"],
        "windows[]": ["size", "slide", "allowed_lateness", "idle_timeout", "min_count"],
        "output": ["dir", "max_bytes", "max_age", "keep", "prometheus_textfile"],
        "limits": ["max_line_bytes", "max_future", "max_models", "max_features", "max_zstd_window", "max_open_files"],
        "rules[]": [
            "alert", "expr", "features", "models", "for", "keep_firing_for", "severity", "labels", "annotations",
        ],
        "hooks[]": ["name", "exec", "alertmanager", "webhook", "log", "timeout"],
    ]

    /// Reads and validates the config at `path`.
    public static func load(path: String) throws(ConfigError) -> DriftConfig {
        guard let text = readText(path) else {
            let why = FileSystem.errnoText()
            throw ConfigError([.init(file: path, line: 1, column: 1, message: "cannot read the config file: \(why)")])
        }
        return try parse(yaml: text, file: path)
    }

    /// Validates YAML text; `file` names it in diagnostics and anchors relative paths.
    public static func parse(yaml: String, file: String) throws(ConfigError) -> DriftConfig {
        let reader = ConfigReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError([
                    .init(file: file, line: 1, column: 1, message: "the config is empty; it needs at least 'inputs'")
                ])
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError([yamlDiagnostic(error, file: file)])
        } catch {
            throw ConfigError([.init(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")])
        }
        var config = DriftConfig(file: file)
        let top = reader.mapping(root, at: "", allowed: topKeys)
        let base = FileSystem.directory(of: file)

        if let inputs = top["inputs"] {
            config.inputs = reader.sequence(inputs, at: "inputs")?.compactMap { readInput($0, reader, base) } ?? []
            if config.inputs.isEmpty && reader.diagnostics.isEmpty {
                reader.report(inputs, "inputs must list at least one input, e.g. - path: /var/log/app/*.jsonl.zst")
            }
        } else {
            reader.report(root, "the config needs 'inputs', e.g.\ninputs:\n  - path: /var/log/inference/*.jsonl.zst")
        }
        if let schema = top["schema"] { config.schema = readSchema(schema, reader) }
        if let windows = top["windows"], let items = reader.sequence(windows, at: "windows") {
            config.windows = items.compactMap { readWindow($0, reader) }
            if items.isEmpty { reader.report(windows, "windows must list at least one window, e.g. - size: 5m") }
            var seen: Set<String> = []
            for (item, spec) in zip(items, config.windows) where !seen.insert(spec.label).inserted {
                reader.report(item, "two windows have the same size and slide (\(spec.label)); remove one")
            }
        }
        if let reference = top["reference"] {
            config.reference = reader.nonEmptyString(reference, at: "reference").map { resolve($0, base) }
        }
        if let output = top["output"] { config.output = readOutput(output, reader, base) }
        if let stateDir = top["state_dir"], let s = reader.nonEmptyString(stateDir, at: "state_dir") {
            config.stateDir = resolve(s, base)
        }
        if let limits = top["limits"] { config.limits = readLimits(limits, reader) }
        var ruleNodes: [(AlertRule, Node)] = []
        if let rules = top["rules"] {
            ruleNodes =
                reader.sequence(rules, at: "rules")?.compactMap { n in readRule(n, reader).map { ($0, n) } } ?? []
            config.rules = ruleNodes.map(\.0)
        }
        if let files = top["rule_files"], let paths = reader.stringList(files, at: "rule_files") {
            for path in paths {
                let more = loadRuleFile(resolve(path, base), near: files, reader)
                config.rules += more
                ruleNodes += more.map { ($0, files) }
            }
        }
        // An alert's state is kept by rule name (and model, feature, window): two rules of one name would share it.
        var ruleNames: Set<String> = []
        for (rule, node) in ruleNodes where !ruleNames.insert(rule.name).inserted {
            reader.report(node, "two rules are named '\(rule.name)'; give each rule its own alert name")
        }
        if let hooks = top["hooks"], let items = reader.sequence(hooks, at: "hooks") {
            var seen: Set<String> = []
            for item in items {
                guard let hook = readHook(item, reader, base) else { continue }
                if !seen.insert(hook.name).inserted {
                    reader.report(item, "two hooks are named '\(hook.name)'; give each hook its own name")
                }
                config.hooks.append(hook)
            }
        }
        guard reader.diagnostics.isEmpty else { throw ConfigError(reader.diagnostics) }
        return config
    }

    private static func readLimits(_ node: Node, _ r: ConfigReader) -> DriftConfig.Limits {
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
        return limits
    }

    private static func readInput(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Input? {
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

    private static func readSchema(_ node: Node, _ r: ConfigReader) -> RecordSchema {
        let m = r.mapping(
            node, at: "schema", allowed: knownKeys["schema"]!)
        var schema = RecordSchema.default
        if let s = r.nonEmptyString(m["timestamp"], at: "schema.timestamp") { schema.timestamp = s }
        if let s = r.nonEmptyString(m["model"], at: "schema.model") { schema.model = s }
        if let s = r.nonEmptyString(m["default_model"], at: "schema.default_model") { schema.defaultModel = s }
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

    private static func readWindow(_ node: Node, _ r: ConfigReader) -> WindowSpec? {
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

    private static func readOutput(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Output {
        let m = r.mapping(node, at: "output", allowed: knownKeys["output"]!)
        var out = DriftConfig.Output()
        if let dir = r.nonEmptyString(m["dir"], at: "output.dir") { out.dir = resolve(dir, base) }
        if let size = r.size(m["max_bytes"], at: "output.max_bytes") { out.maxBytes = size }
        if let age = r.span(m["max_age"], at: "output.max_age") { out.maxAge = age }
        if let keep = r.int(m["keep"], at: "output.keep", minimum: 1) { out.keep = keep }
        if let prom = r.nonEmptyString(m["prometheus_textfile"], at: "output.prometheus_textfile") {
            out.prometheusTextfile = resolve(prom, base)
        }
        return out
    }

    /// A rule file (Prometheus's `rule_files`): a YAML document with a `rules:` list, checked like the config with
    /// its own file name in the diagnostics.
    private static func loadRuleFile(_ path: String, near node: Node, _ r: ConfigReader) -> [AlertRule] {
        guard let text = readText(path) else {
            r.report(node, "rule_files: cannot read \(path): \(FileSystem.errnoText())")
            return []
        }
        let fileReader = ConfigReader(file: path)
        var rules: [AlertRule] = []
        do {
            if let root = try Yams.compose(yaml: text) {
                let m = fileReader.mapping(root, at: "", allowed: ["rules"])
                rules = fileReader.sequence(m["rules"], at: "rules")?.compactMap { readRule($0, fileReader) } ?? []
            }
        } catch let error as YamlError {
            r.append(yamlDiagnostic(error, file: path))
        } catch {
            r.report(node, "rule_files: \(path) is not valid YAML: \(error)")
        }
        r.append(contentsOf: fileReader.diagnostics)
        return rules
    }

    private static func readRule(_ node: Node, _ r: ConfigReader) -> AlertRule? {
        let m = r.mapping(
            node, at: "rules[]",
            allowed: knownKeys["rules[]"]!)
        let alert = r.nonEmptyString(m["alert"], at: "rules[].alert")
        let expr = r.nonEmptyString(m["expr"], at: "rules[].expr")
        if m["alert"] == nil { r.report(node, "each rule needs a name: alert: FeatureDrift") }
        if m["expr"] == nil { r.report(node, "each rule needs a condition, e.g. expr: \"psi > 0.2\"") }
        guard let alert, let expr else { return nil }
        var rule: AlertRule
        do {
            rule = try AlertRule(name: alert, expr: expr)
        } catch {
            r.report(m["expr"], "rules[].expr: \(error); e.g. expr: \"psi > 0.2\" (measures: docs/alerts.md)")
            return nil
        }
        if let f = r.stringList(m["features"], at: "rules[].features") { rule.features = f }
        if let models = r.stringList(m["models"], at: "rules[].models") { rule.models = models }
        if let n = r.int(m["for"], at: "rules[].for", minimum: 1) { rule.forWindows = n }
        if let n = r.int(m["keep_firing_for"], at: "rules[].keep_firing_for") { rule.keepFiringFor = n }
        if let s = r.string(m["severity"], at: "rules[].severity") {
            if ["info", "warning", "critical"].contains(s) {
                rule.severity = s
            } else {
                r.report(m["severity"], "rules[].severity must be one of info, warning, critical, not '\(s)'")
            }
        }
        if let labels = r.stringMap(m["labels"], at: "rules[].labels") { rule.labels = labels }
        if let ann = r.stringMap(m["annotations"], at: "rules[].annotations") {
            rule.annotations = ann
            for (key, template) in ann.sorted(by: { $0.key < $1.key }) {
                if let problem = AnnotationTemplate.problem(in: template) {
                    r.report(m["annotations"], "rules[].annotations.\(key): \(problem)")
                }
            }
        }
        return rule
    }

    private static func readHook(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.Hook? {
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
            if let url = r.nonEmptyString(m[present[0]], at: "hooks[].\(present[0])") {
                if url.hasPrefix("http://") || url.hasPrefix("https://") {
                    kind = present[0] == "webhook" ? .webhook(url) : .alertmanager(url)
                } else {
                    r.report(m[present[0]], "hooks[].\(present[0]) must be an http:// or https:// URL, not '\(url)'")
                }
            }
        default:
            kind = .log
        }
        guard let name, let kind else { return nil }
        var hook = DriftConfig.Hook(name: name, kind: kind)
        if let t = r.span(m["timeout"], at: "hooks[].timeout") { hook.timeout = t }
        return hook
    }

    private static func yamlDiagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
            return .init(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(what)")
        default:
            return .init(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }

    /// Paths in a config are relative to the config file's directory, as Prometheus resolves `rule_files`.
    static func resolve(_ path: String, _ base: String) -> String {
        path.hasPrefix("/") || base == "." ? path : base + "/" + path
    }

    private static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
