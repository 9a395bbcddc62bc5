import DriftAlerts
import DriftCore
import DriftRecords
import DriftStats
import DriftWindows

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loaded, validated config (DESIGN §11). Key names in the YAML are the contract; this is its typed form.
public struct DriftConfig: Sendable {
    public struct Input: Hashable, Sendable {
        public enum StartAt: String, Hashable, Sendable, CaseIterable {
            case beginning, end
        }

        /// A glob, or `-` for standard input.
        public var path: String
        public var startAt: StartAt = .beginning

        public init(path: String, startAt: StartAt = .beginning) {
            self.path = path
            self.startAt = startAt
        }
    }

    public struct Output: Hashable, Sendable {
        public var dir: String = "/var/lib/driftd/metrics"
        public var maxBytes = ByteSize(bytes: 64 << 20)
        public var maxAge: Span = .seconds(86_400)
        public var keep = 10
        public var prometheusTextfile: String?
        /// `output.profiles`: mergeable profile lines in `<dir>/profiles.jsonl` (DESIGN §6).
        public var profiles = false
        /// `output.instance`: which instance a profile line comes from; empty: the host name.
        public var instance = ""

        /// The instance name profile lines carry.
        public var instanceName: String {
            if !instance.isEmpty { return instance }
            var name = [CChar](repeating: 0, count: 256)
            return gethostname(&name, name.count) == 0
                ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
        }
    }

    /// `http`: the optional HTTP endpoint (`/metrics`, `/-/healthy`, `/-/ready`, `POST /-/reload`).
    public struct HTTP: Hashable, Sendable {
        /// An IP address (a literal: `127.0.0.1`, `::1`, `0.0.0.0`) or `localhost`.
        public var host: String
        /// 0: any free port (logged at start).
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// `limits`: what one input can make driftd hold (docs/reliability.md lists each, and what happens beyond).
    public struct Limits: Hashable, Sendable {
        /// Longer lines are rejected (DESIGN §2 default: 1 MiB).
        public var maxLineBytes = 1 << 20
        /// Records further ahead of the wall clock are rejected (`future`).
        public var maxFuture: Span = .seconds(300)
        public var maxModels = 10_000
        /// Per model.
        public var maxFeatures = 1_000
        /// The largest zstd window a frame may ask for: zstd's own default limit for decoding (what `zstd -d`
        /// reads without `--memory`), so every file it reads is read, and memory per followed file stays bounded.
        public var maxZstdWindow = ByteSize(bytes: 128 << 20)
        /// Input files held open at once (`run`): idle files beyond are closed and opened again when they grow.
        public var maxOpenFiles = 256
        /// Predictions waiting for a label (and labels waiting for a prediction), each at most: about 150 bytes
        /// apiece (DESIGN §12); beyond, the oldest is given up and counted.
        public var maxPendingLabels = 1_000_000

        public init() {}

        /// The limits the record path enforces.
        public var records: RecordLimits {
            RecordLimits(
                maxLineBytes: maxLineBytes, maxFuture: maxFuture, maxModels: maxModels, maxFeatures: maxFeatures)
        }
    }

    public struct Hook: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case exec([String])
            /// One URL, or several (an HA pair): every alert goes to each.
            case alertmanager([String])
            case webhook(String)
            case log
        }

        public var name: String
        public var kind: Kind
        public var timeout: Span = .seconds(10)
    }

    /// The file the config was read from (relative paths in it are relative to its directory).
    public var file: String
    public var inputs: [Input] = []
    /// `labels:`: inputs of labels that arrive after their predictions (DESIGN §12).
    public var labels: [LabelInput] = []
    /// `performance:`: the task and positive class, when not inferred.
    public var performance = PerformanceSpec()
    public var schema = RecordSchema.default
    public var windows: [WindowSpec] = [WindowSpec(size: .seconds(300))]
    public var reference: String?
    public var output = Output()
    public var stateDir = "/var/lib/driftd/state"
    public var limits = Limits()
    /// Parsed once, here: the pipeline takes them as they are.
    public var rules: [AlertRule] = []
    public var hooks: [Hook] = []
    /// `external_labels`: added to every alert (a rule's own labels win), as Prometheus adds its external labels, so
    /// that alerts from many hosts stay apart.
    public var externalLabels: [String: String] = [:]
    /// `generator_url`: a template (`{{ $model }}`, `{{ $feature }}`, …) for each alert's `generatorURL`.
    public var generatorURL: String?
    /// `http.listen`: off unless configured.
    public var http: HTTP?

    public init(file: String) {
        self.file = file
    }
}
