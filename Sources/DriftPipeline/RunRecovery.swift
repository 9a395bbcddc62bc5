import DriftAggregate
import DriftConfig
import DriftCore
import DriftSinks
import DriftSystem

/// What `run` finds at start (DESIGN §8): the last checkpoint if it can be used (one that cannot is moved aside),
/// the metric files made whole again, and which windows they already hold.
struct RunRecovery {
    var checkpoint: Checkpoint?
    var written = WrittenWindows()
    /// Bytes cut from the end of a metric file (a window whose writing a crash cut short).
    var removedBytes: Int64 = 0

    static func recover(store: CheckpointStore, config: DriftConfig, metricFile: String, telemetry: Telemetry)
        -> RunRecovery
    {
        var recovery = RunRecovery(checkpoint: store.load())
        if let problem = recovery.checkpoint?.aggregator.problem(windows: config.windows) {
            store.setAside(because: problem)
            recovery.checkpoint = nil
        }
        do {
            let repair = try repairMetricFiles(metricFile, directory: config.output.dir, after: recovery.checkpoint)
            recovery.removedBytes = repair.removedBytes
            if let checkpoint = recovery.checkpoint {
                var carried = WrittenWindows(
                    checkpointWritten: checkpoint.written,
                    checkpointThrough: checkpoint.writtenThrough)
                carried = WrittenWindows(windows: carried.windows.union(repair.committed), through: carried.through)
                recovery.written = carried
            }
        } catch {
            telemetry.logger.error(
                "cannot check the metric file; windows are written when it can be written",
                metadata: ["error": "\(error)"])
        }
        if recovery.checkpoint == nil {
            // No usable checkpoint: the inputs are read again from their start_at, and the metric files say which
            // windows are written already (DESIGN §8: a lost checkpoint never duplicates output).
            recovery.written = WrittenWindows(through: MetricFileRepair.writtenThrough(directory: config.output.dir))
        }
        return recovery
    }

    /// The repair at start: the live file from the checkpoint's offset — or, when it was rolled since the
    /// checkpoint (a crash between a roll and the checkpoint after it), the rolled file from that offset and the
    /// whole new live file.
    private static func repairMetricFiles(_ live: String, directory: String, after checkpoint: Checkpoint?)
        throws(DriftError) -> MetricFileRepair.Result
    {
        guard let checkpoint, let inode = checkpoint.metricsInode, FileSystem.inode(of: live) != inode else {
            return try MetricFileRepair.repair(path: live, after: checkpoint?.metricsOffset)
        }
        var result = MetricFileRepair.Result()
        if let rolled = FileSystem.entries(of: directory).map({ directory + "/" + $0 })
            .first(where: { FileSystem.inode(of: $0) == inode })
        {
            result = try MetricFileRepair.repair(path: rolled, after: checkpoint.metricsOffset)
        }
        let fresh = try MetricFileRepair.repair(path: live, after: 0)
        result.committed.formUnion(fresh.committed)
        result.removedBytes += fresh.removedBytes
        return result
    }
}
