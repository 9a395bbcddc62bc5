#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Daemon {
    /// The signals a daemon acts on: SIGTERM and SIGINT stop it, SIGHUP reloads its config.
    static let handledSignals = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, and so in every thread it starts from then on. A
    /// command that runs a daemon calls it first, before any thread exists.
    ///
    /// Dispatch's signal sources read these signals from a signalfd, which gets a signal only while no thread can
    /// take it. Blocked from the start, one sent while driftd starts waits, pending, until the sources are in place,
    /// and then stops it cleanly. Before, such a signal either killed driftd half-started (default action) or, in
    /// the moment the action was being set to "ignore" for Dispatch, was discarded: that run never stopped.
    public static func blockHandledSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in handledSignals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
