import DriftConfig
import DriftCore
import DriftSystem
import Foundation

/// The files `driftd demo` prepares: a config with the shipped rules and an exec hook, the hook script, and
/// the directories the writer and the daemon use. Everything lives under one directory the user can inspect.
struct DemoWorkspace {
    let dir: String
    /// Window size in event time: the writer runs event time `speedup` times faster than the wall clock.
    static let window = "1m"

    var config: String { dir + "/driftd.yaml" }
    var logs: String { dir + "/logs/app.jsonl.zst" }
    var referenceLogs: String { dir + "/reference-logs/app.jsonl.zst" }
    var reference: String { dir + "/reference.json" }
    var metrics: String { dir + "/metrics" }
    var report: String { dir + "/report.html" }
    var hook: String { dir + "/print-alert.sh" }
    /// Where the hook writes its line per alert (driftd captures a hook's own output for its log, never passing
    /// it through; the demo shows this file as it grows).
    var hookLog: String { dir + "/hook.log" }

    /// Starts afresh: removes what an earlier demo left in `dir`, then writes config, rules and hook.
    func create() throws(DriftError) {
        for sub in ["logs", "reference-logs", "metrics", "state", "rules"] {
            let path = dir + "/" + sub
            try? FileManager.default.removeItem(atPath: path)
            try FileSystem.makeDirectories(path)
        }
        for file in [reference, report, hookLog] { unlink(file) }
        try AtomicFile.write(Array(DefaultRules.yaml.utf8), to: dir + "/rules/default.yaml")
        try AtomicFile.write(Array(hookScript.utf8), to: hook)
        chmod(hook, 0o755)
        try AtomicFile.write(Array(configText.utf8), to: config)
    }

    var configText: String {
        """
        # Written by `driftd demo`. Run it yourself: driftd run --config \(config)
        inputs: [{path: "logs/app.jsonl.zst*"}]
        windows: [{size: \(Self.window), allowed_lateness: 5s, min_count: 500}]
        reference: reference.json
        output: {dir: metrics}
        state_dir: state
        rule_files: [rules/default.yaml]      # driftd's shipped rules
        hooks:
          - name: print
            exec: ["\(hook)"]
            timeout: 5s

        """
    }

    /// Appends one line per alert notification to ``hookLog``; the alert arrives on stdin as an Alertmanager
    /// webhook payload.
    var hookScript: String {
        #"""
        #!/bin/sh
        # driftd demo's exec hook: driftd writes the alert (Alertmanager webhook JSON) to stdin.
        payload=$(cat)
        status=$(printf '%s' "$payload" | sed -n 's/^{.*"status":"\([a-z]*\)","receiver".*/\1/p')
        summary=$(printf '%s' "$payload" | sed -n 's/.*"summary":"\([^"]*\)".*/\1/p')
        printf '  [hook] %-8s %s\n' "$status" "$summary" >> '\#(hookLog)'

        """#
    }
}
