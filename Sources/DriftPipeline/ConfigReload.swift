import DriftConfig

/// What a SIGHUP reload does with a new config that validated (pure): rules, hooks, inputs and the textfile take
/// effect at once; windows and schema stay as they are (their open windows could not be continued); the other
/// settings that need a restart are named, so the log can say so.
enum ConfigReload {
    /// The config to run with from now on, and what of `fresh` waits for a restart.
    static func apply(_ fresh: DriftConfig, to current: DriftConfig) -> (config: DriftConfig, restartNeeded: [String]) {
        var restartNeeded: [String] = []
        if fresh.windows != current.windows { restartNeeded.append("windows") }
        if fresh.schema != current.schema { restartNeeded.append("schema") }
        if fresh.reference != current.reference { restartNeeded.append("reference (alert thresholds reloaded)") }
        if fresh.output.dir != current.output.dir { restartNeeded.append("output.dir") }
        if fresh.stateDir != current.stateDir { restartNeeded.append("state_dir") }
        if fresh.limits != current.limits { restartNeeded.append("limits") }
        var config = fresh
        config.windows = current.windows
        config.schema = current.schema
        return (config, restartNeeded)
    }
}
