import DriftAlerts
import DriftCore
import DriftRecords
import DriftSystem
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
        "external_labels", "generator_url", "http", "labels", "performance",
    ]

    /// Every key the config knows, by section (`inputs[]` for a list's items): the contract of DESIGN §11 and
    /// what driftd adds to it.
    public static let knownKeys: [String: [String]] = [
        "": topKeys,
        "inputs[]": ["path", "start_at"],
        "labels[]": ["path", "start_at", "max_delay"],
        "performance": ["task", "positive_label"],
        "schema": [
            "timestamp", "model", "features", "prediction", "actual", "default_model", "timezone", "types",
            "flatten_depth", "timestamp_format", "model_version", "request_id",
        ],
        "windows[]": ["size", "slide", "allowed_lateness", "idle_timeout", "min_count"],
        "output": ["dir", "max_bytes", "max_age", "keep", "prometheus_textfile", "profiles", "instance"],
        "limits": [
            "max_line_bytes", "max_future", "max_models", "max_features", "max_zstd_window", "max_open_files",
            "max_pending_labels",
        ],
        "rules[]": [
            "alert", "expr", "features", "models", "for", "keep_firing_for", "severity", "labels", "annotations",
        ],
        "http": ["listen"],
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
        if let labels = top["labels"] {
            config.labels = reader.sequence(labels, at: "labels")?.compactMap { readLabels($0, reader, base) } ?? []
            if !config.labels.isEmpty && config.schema.requestID == nil {
                reader.report(
                    labels,
                    "labels are joined to predictions by request id: set schema.request_id to where the predictions "
                        + "carry it, e.g. schema: {request_id: request_id}")
            }
        }
        if let performance = top["performance"] { config.performance = readPerformance(performance, reader) }
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
        if let labels = reader.stringMap(top["external_labels"], at: "external_labels") {
            config.externalLabels = labels
        }
        if let url = top["generator_url"], url.null == nil {
            config.generatorURL = reader.nonEmptyString(url, at: "generator_url")
        }
        if let http = top["http"] { config.http = readHTTP(http, reader) }
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

    /// A rule file (Prometheus's `rule_files`): a YAML document with a `rules:` list, checked like the config with
    /// its own file name in the diagnostics.
    static func loadRuleFile(_ path: String, near node: Node, _ r: ConfigReader) -> [AlertRule] {
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

    static func readRule(_ node: Node, _ r: ConfigReader) -> AlertRule? {
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
        // A count of windows, or a duration (Prometheus users write `for: 15m`): whole slides, rounded up.
        for (key, minimum) in [("for", 1), ("keep_firing_for", 0)] {
            guard let node = m[key], let text = r.string(node, at: "rules[].\(key)") else { continue }
            if let n = Int(text), n >= minimum {
                if key == "for" { rule.forWindows = n } else { rule.keepFiringFor = n }
            } else if let span = Span(parsing: text), span.nanoseconds > 0 {
                if key == "for" {
                    rule.forDuration = span.nanoseconds
                } else {
                    rule.keepFiringDuration = span.nanoseconds
                }
            } else {
                r.report(
                    node,
                    "rules[].\(key) must be a number of windows (\(minimum == 1 ? 3 : 1)) or a duration (15m, rounded up to "
                        + "whole slides of each window size), not '\(text)'")
            }
        }
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

    static func yamlDiagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
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

    static func readText(_ path: String) -> String? {
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
