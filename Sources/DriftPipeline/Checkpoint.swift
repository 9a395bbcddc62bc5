import DriftAggregate
import DriftAlerts
import DriftCore
import DriftSources
import DriftSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Everything `driftd run` needs to continue exactly where it was (DESIGN §8): source positions and open
/// windows, taken together between batches, plus the metric file's size at that moment.
public struct Checkpoint: Codable, Sendable {
    public static let formatName = "driftd-checkpoint"
    public static let currentVersion = 1

    public var format = Checkpoint.formatName
    public var version = Checkpoint.currentVersion
    public var tailer: Tailer.State
    public var aggregator: Aggregator.State
    /// Bytes in the metric file when the checkpoint was taken; window lines after it were written since.
    public var metricsOffset: Int64
    /// The inode of the metric file `metricsOffset` is in: if the live file has another, it was rolled since and the
    /// windows written after the checkpoint are in the rolled file (found by this inode) and the new live file.
    public var metricsInode: UInt64?
    /// The state of every alert that is pending or firing.
    public var alerts: [AlertEngine.Key: AlertState]?
    /// Windows that `aggregator` still holds open but that a metric file already holds (written before a crash,
    /// found by the repair at start, not yet closed again). Carried over so that a second crash does not forget
    /// them: the repair after it reads only from this checkpoint's offset. Keys of `MetricFileRepair.key`.
    public var written: [String]?
    /// After a start without a usable checkpoint: per model and window size (`MetricFileRepair.seriesKey`), the
    /// start of the newest window the metric files already held. Windows up to it are not written again; an
    /// entry goes once a newer window of its series is written.
    public var writtenThrough: [String: Int64]?

    private enum CodingKeys: String, CodingKey {
        case format, version, tailer, aggregator, metricsOffset, metricsInode, alerts, written, writtenThrough
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(version, forKey: .version)
        try c.encode(tailer, forKey: .tailer)
        try c.encode(aggregator, forKey: .aggregator)
        try c.encode(metricsOffset, forKey: .metricsOffset)
        try c.encodeIfPresent(metricsInode, forKey: .metricsInode)
        if let alerts { try c.encode(SortedPairs(alerts), forKey: .alerts) }
        try c.encodeIfPresent(written, forKey: .written)
        try c.encodeIfPresent(writtenThrough, forKey: .writtenThrough)
    }

    public init(
        tailer: Tailer.State, aggregator: Aggregator.State, metricsOffset: Int64, metricsInode: UInt64?,
        alerts: [AlertEngine.Key: AlertState], written: Set<String> = [], writtenThrough: [String: Int64] = [:]
    ) {
        self.tailer = tailer
        self.aggregator = aggregator
        self.metricsOffset = metricsOffset
        self.metricsInode = metricsInode
        self.alerts = alerts
        self.written = written.isEmpty ? nil : written.sorted()
        self.writtenThrough = writtenThrough.isEmpty ? nil : writtenThrough
    }
}

/// Reads and writes the checkpoint file (`state_dir/checkpoint.json`): temporary file, fsync, rename.
public struct CheckpointStore: Sendable {
    public let path: String
    private let telemetry: Telemetry

    public init(stateDirectory: String, telemetry: Telemetry) {
        path = stateDirectory + "/checkpoint.json"
        self.telemetry = telemetry
    }

    private static let floats = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// The last checkpoint, or nil when there is none or it cannot be used (logged: the run starts afresh from
    /// the config's `start_at`, never a crash loop).
    public func load() -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: path) else {
            telemetry.logger.info("no checkpoint; starting from the inputs' start_at", metadata: ["file": "\(path)"])
            return nil
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: Self.floats.positiveInfinity, negativeInfinity: Self.floats.negativeInfinity,
            nan: Self.floats.nan)
        do {
            let checkpoint = try decoder.decode(Checkpoint.self, from: data)
            guard checkpoint.format == Checkpoint.formatName, checkpoint.version == Checkpoint.currentVersion else {
                throw DriftError(.input, "format \(checkpoint.format) version \(checkpoint.version)")
            }
            return checkpoint
        } catch {
            setAside(because: "corrupt or from another version: \(error)")
            return nil
        }
    }

    /// Where an unusable checkpoint is moved, for a person to look at (the last one only).
    public var asidePath: String { path + ".unusable" }

    /// Moves an unusable checkpoint out of the way, so that the next start does not trip on it again (never a
    /// crash loop), and says so. The run starts from the inputs' `start_at`; windows the metric files hold are not
    /// written again.
    public func setAside(because reason: String) {
        let moved = rename(path, asidePath) == 0
        CheckpointUnusable(path: path, movedTo: moved ? asidePath : nil, reason: reason).emit(to: telemetry)
    }

    public func save(_ checkpoint: Checkpoint) throws(DriftError) {
        try write(try Self.encode(checkpoint))
    }

    /// Saves `shell` (its aggregator state without the models' windows: ``Aggregator/stateWithoutModels``) with
    /// the models' windows of `aggregator` encoded one model at a time and put in their place: the same bytes as
    /// the whole encoded at once, without the whole ever being built (10,000 models: 3 GiB). `progress` is called
    /// after each piece is written (the daemon pings systemd's watchdog from it).
    public func save(
        _ shell: Checkpoint, modelsOf aggregator: Aggregator, progress: () -> Void = {}
    ) throws(DriftError) {
        try FileSystem.makeDirectories(FileSystem.directory(of: path))
        // Written as it is encoded: a model's state at a time in memory, not the 100 MB of a thousand models'.
        try AtomicFile.write(to: path) { file throws(DriftError) in
            try Self.encode(shell, modelsOf: aggregator) { piece throws(DriftError) in
                try file.append(piece)
                progress()
            }
        }
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        // Sorted keys, and dictionaries with other keys in key order: the same state gives the same bytes.
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: Self.floats.positiveInfinity, negativeInfinity: Self.floats.negativeInfinity,
            nan: Self.floats.nan)
        return encoder
    }

    static func encode(_ value: some Encodable) throws(DriftError) -> [UInt8] {
        do {
            return Array(try encoder().encode(value))
        } catch {
            throw DriftError(.io, "cannot encode the checkpoint: \(error)", cause: error as? EncodingError)
        }
    }

    /// The aggregator's `models` list as the shell encodes it: empty, and (keys sorted) followed by the member
    /// after it. Inside a string a quote is escaped, so these bytes can only be the aggregator's own member; the
    /// label join's `models` is followed by `now`.
    static let modelsMarker = Array(#""models":[],"pendingRejected":"#.utf8)

    /// The bytes of ``save(_:modelsOf:)``, all at once.
    static func encode(_ shell: Checkpoint, modelsOf aggregator: Aggregator) throws(DriftError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(shell, modelsOf: aggregator) { piece throws(DriftError) in out += piece }
        return out
    }

    /// The bytes of ``save(_:modelsOf:)``, handed to `sink` piece by piece: the shell up to the models' place,
    /// each model's state, the rest of the shell.
    static func encode(
        _ shell: Checkpoint, modelsOf aggregator: Aggregator, into sink: ([UInt8]) throws(DriftError) -> Void
    ) throws(DriftError) {
        precondition(!shell.aggregator.holdsModelStates, "the shell holds no model's windows")
        let outer = try encode(shell)
        let found = outer.ranges(of: modelsMarker)
        guard found.count == 1, let at = found.first?.lowerBound else {
            throw DriftError(.io, "cannot encode the checkpoint: the models' place was found \(found.count) times")
        }
        let open = at + #""models":["#.utf8.count
        try sink(Array(outer[..<open]))
        var first = true
        var failure: DriftError?
        aggregator.forEachModelState { model in
            guard failure == nil else { return }
            do throws(DriftError) {
                try sink((first ? [] : [UInt8(ascii: ",")]) + (try encode(model)))
                first = false
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        try sink(Array(outer[open...]))
    }

    private func write(_ bytes: [UInt8]) throws(DriftError) {
        try FileSystem.makeDirectories(FileSystem.directory(of: path))
        try AtomicFile.write(bytes, to: path)
    }
}
