import Dispatch
import DriftCore
import DriftSources
import DriftSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What wakes `driftd run` up, on its queue: inotify on the input directories (events gathered for `coalesce`,
/// then one round), a poll timer (the fallback, idle timeouts, directories that appear later), SIGHUP, and
/// SIGTERM/SIGINT.
final class Watches: @unchecked Sendable {  // touched on its queue only (the stop handler calls back, no more)
    private let queue: DispatchQueue
    private let options: Daemon.Options
    private let inotify: InotifyWatch?
    private var inotifySource: DispatchSourceRead?
    private var inotifySuspended = false
    private var sources: [DispatchSourceProtocol] = []

    init(queue: DispatchQueue, directories: [String], options: Daemon.Options, telemetry: Telemetry) {
        self.queue = queue
        self.options = options
        inotify = InotifyWatch(
            directories: Array(Set(directories.map(FileSystem.directory(of:)))), telemetry: telemetry)
    }

    /// - Parameters:
    ///   - round: a round of reading; `scan` is false when inotify said only that files grew.
    ///   - reload: SIGHUP, on the queue.
    ///   - stop: SIGTERM or SIGINT (the signal), off the queue.
    func install(
        round: @escaping @Sendable (Bool) -> Void, reload: @escaping @Sendable () -> Void,
        stop: @escaping @Sendable (Int32) -> Void
    ) {
        // The signals are blocked in every thread (``Daemon/blockHandledSignals()``), so a signal sent before now
        // is pending, and the signalfd behind each source reads it as soon as the source is registered. Dispatch
        // installs its own handler too, which sends on a signal that reached a thread not blocking it.
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup.setEventHandler(handler: reload)
        hangup.resume()
        sources.append(hangup)
        for sig in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop(sig) }
            source.resume()
            sources.append(source)
        }
        if let inotify {
            let source = DispatchSource.makeReadSource(fileDescriptor: inotify.fd, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self, let inotify = self.inotify else { return }
                // A busy writer flushes thousands of times a second: stop listening for a moment, let the kernel
                // gather its events, then read them and the files in one round.
                let scan = inotify.drain()
                self.inotifySource?.suspend()
                self.inotifySuspended = true
                self.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(self.options.coalesce.nanoseconds))) {
                    guard self.inotifySuspended else { return }  // resumed by `cancel`
                    round((self.inotify?.drain() ?? false) || scan)
                    self.inotifySuspended = false
                    self.inotifySource?.resume()
                }
            }
            inotifySource = source
            source.resume()
            sources.append(source)
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = Int(options.pollInterval.nanoseconds)
        timer.schedule(deadline: .now() + .nanoseconds(interval), repeating: .nanoseconds(interval))
        timer.setEventHandler { [weak self] in
            self?.inotify?.addMissingWatches()
            round(true)
        }
        timer.resume()
        sources.append(timer)
    }

    /// Stops every source (on the queue).
    func cancel() {
        if inotifySuspended {  // a suspended source must not be released
            inotifySuspended = false
            inotifySource?.resume()
        }
        for source in sources { source.cancel() }
        sources = []
    }
}
