import DriftCore

#if os(Linux)
    import CMalloc
#endif

/// glibc's allocator, set for a pipeline of megabyte batches.
///
/// By default glibc maps every large allocation (a batch's lines, its parsed values) with mmap and unmaps it when
/// freed, or returns freed heap to the kernel past 128 KiB: each new batch then faults in and zeroes fresh pages.
/// Below 8 MiB, allocations come from the heap, and up to 8 MiB of freed heap per arena is kept for the next batch.
/// Measured on the replay benchmark: 60k page faults become about 22k and replay takes about 6% less CPU. Peak RSS
/// is a few MiB higher for 1M records and about 20 MiB higher for 10M (docs/benchmarks.md has both, and the
/// thresholds tried).
public enum AllocatorTuning {
    public static let threshold: Int32 = 8 << 20

    /// Sets the thresholds; called once at start (by `driftd` and by the stage benchmark).
    public static func apply() {
        #if os(Linux)
            _ = mallopt(M_MMAP_THRESHOLD, threshold)
            _ = mallopt(M_TRIM_THRESHOLD, threshold)
        #endif
    }
}
