import DriftConfig
import DriftCore

extension Daemon {
    /// SIGHUP: reads the config again. A bad config is refused — logged with its file and line — and the one in
    /// force stays (ConfigReload says what takes effect now and what waits for a restart). Returns why it was
    /// refused, or nil when it took effect (`POST /-/reload` answers with it).
    @discardableResult
    func reload() -> String? {
        notifier.send("RELOADING=1")
        defer { notifier.send("READY=1\nSTATUS=" + statusText()) }
        guard let r = running else { return "driftd is not running" }
        let fresh: DriftConfig
        do {
            fresh = try ConfigLoader.load(path: config.file)
        } catch {
            let problems = error.diagnostics.map(\.description)
            ConfigReloadRefused(file: config.file, problems: problems).emit(to: telemetry)
            return problems.joined(separator: "; ")
        }
        do {
            let reference = try fresh.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
            try r.output.reload(fresh, reference: reference)
        } catch {
            ConfigReloadRefused(file: config.file, problems: [error.message]).emit(to: telemetry)
            return error.message
        }
        let (applied, restartNeeded) = ConfigReload.apply(fresh, to: config)
        r.tailer.setPatterns(
            applied.followedGlobs.map { .init(glob: $0.path, startAtEnd: $0.startAtEnd, labels: $0.labels) })
        config = applied
        ConfigReloaded(
            rules: fresh.rules.count, hooks: fresh.hooks.count, restartNeeded: restartNeeded, at: clocks.wall()
        )
        .emit(to: telemetry)
        return nil
    }
}
