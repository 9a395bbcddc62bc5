/// Every counter driftd keeps, with its help text and the names of its labels (Vector's internal events and
/// Prometheus' conventions): the one list that the Prometheus textfile, the `kind: self` line and the docs read.
/// A counter with labels is kept per label value; its family total is their sum, never kept separately.
public enum CounterCatalog {
    public struct Family: Hashable, Sendable {
        public let name: String
        public let help: String
        public let labels: [String]

        init(_ name: String, _ help: String, labels: [String] = []) {
            self.name = name
            self.help = help
            self.labels = labels
        }
    }

    public static let families: [Family] = [
        .init("records_rejected_total", "Lines not taken as records, by reason.", labels: ["reason"]),
        .init("records_late_total", "Records dropped because every window they belong to had closed."),
        .init("window_late_records_total", "Late records counted in the windows written."),
        .init("windows_emitted_total", "Windows closed and handed to the output."),
        .init(
            "feature_values_dropped_total", "Feature values dropped before aggregation, by reason.", labels: ["reason"]),
        .init(
            "labels_rejected_total", "Label lines not taken (no request id, no actual, bad JSON or time), by reason.",
            labels: ["reason"]),
        .init("labels_joined_total", "Labels joined to their prediction."),
        .init("labels_unmatched_total", "Labels given up without a prediction (it never came, or came too late)."),
        .init("labels_duplicate_total", "Labels for a request already labeled (the first one counts)."),
        .init(
            "label_join_overflow_total",
            "Predictions or labels given up early because the join buffer was full (labels.max_pending)."),
        .init("features_retired_total", "Features retired after ten window sizes without a value."),
        .init("models_evicted_total", "Dormant models evicted to make room for new ones (limits.max_models)."),
        .init("source_bytes_read_total", "Bytes read from inputs read to their end."),
        .init("source_bytes_decompressed_total", "Bytes of JSON lines decoded from inputs read to their end."),
        .init("source_lines_total", "Lines of inputs read to their end."),
        .init("source_files_finished_total", "Inputs read to their end."),
        .init("zstd_frames_corrupt_total", "Corrupt zstd frames skipped to the next frame magic."),
        .init("zstd_frames_truncated_total", "zstd files that ended inside a frame."),
        .init("zstd_frames_window_too_large_total", "zstd frames asking for a window above limits.max_zstd_window."),
        .init("zstd_bytes_skipped_total", "Bytes skipped while looking for the next zstd frame."),
        .init("files_opened_total", "Input files followed."),
        .init("files_rotated_total", "Followed files renamed away or deleted."),
        .init("files_truncated_total", "Followed files truncated or rewritten in place (read again from the start)."),
        .init("files_closed_total", "Rotated files read to their end and closed."),
        .init("files_vanished_total", "Files a checkpoint named that were gone at start."),
        .init("files_parked_total", "Idle input files closed to bound the descriptors held."),
        .init("input_files_skipped_total", "Paths matching an input glob that are not regular files or not readable."),
        .init("checkpoints_total", "Checkpoints written."),
        .init("checkpoint_unusable_total", "Checkpoints found unusable at start and moved aside."),
        .init("metric_files_rolled_total", "Metric files rolled by size or age."),
        .init("config_reloads_total", "Config reloads that took effect."),
        .init("config_reloads_refused_total", "Config reloads refused (the previous config stayed in force)."),
        .init("alerts_fired_total", "Alerts that started firing."),
        .init("alerts_resolved_total", "Alerts that resolved."),
        .init("hook_deliveries_total", "Rounds of alert events delivered by the hooks."),
        .init("hook_failures_total", "Alert hook deliveries that failed, by hook.", labels: ["hook"]),
        .init("hook_dropped_total", "Alert events dropped: a hook's queue was full, or driftd was stopping."),
        .init("hook_timeouts_total", "Exec hook programs killed at their timeout."),
        .init("hook_terminated_total", "Exec hook programs terminated at shutdown."),
        .init(
            "hook_output_bytes_total", "Bytes exec hook programs wrote on stdout and stderr (captured, not passed on)."),
    ]

    /// driftd's own gauges (``Telemetry/set(_:_:)``), shaped as Prometheus' `prometheus_config_last_reload_*`.
    public static let gauges: [Family] = [
        .init("start_time_seconds", "When driftd started, in seconds since the epoch."),
        .init("label_join_pending", "Predictions waiting for their label."),
        .init("ready", "1 once driftd has scanned its inputs and is reading them; 0 while starting or stopping."),
        .init("config_last_reload_successful", "Whether the last config reload took effect (1) or was refused (0)."),
        .init("config_last_reload_success_timestamp_seconds", "When the config last loaded or reloaded, in seconds."),
        .init("last_checkpoint_timestamp_seconds", "When the last checkpoint was saved, in seconds since the epoch."),
        .init(
            "last_checkpoint_duration_seconds",
            "How long the last checkpoint took to encode and write; the next waits nine times as long."),
        .init(
            "last_window_written_timestamp_seconds",
            "When a window was last written to the metric file (wall clock), in seconds since the epoch."),
    ]

    /// By name.
    public static let byName: [String: Family] = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })
}
