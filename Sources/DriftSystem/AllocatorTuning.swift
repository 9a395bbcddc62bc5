import DriftCore

#if os(Linux)
    import CMalloc
#endif

/// glibc's allocator, set for a pipeline of megabyte batches.
///
/// By default glibc maps every large allocation with mmap and unmaps it when freed, and its threshold for that
/// moves up to the largest block freed: a batch's lines and parsed values then come from the heap, where the
/// windows' small, long-lived allocations fill the holes they leave. The batches' buffers now go round (``Spares``)
/// instead of being freed, so they are mapped once, apart from the heap: blocks of 1 MiB and more are mapped
/// (`mmapThreshold`, fixed), and up to 8 MiB of freed heap per arena is kept for the next batch (`trimThreshold`).
/// Measured on the replay benchmark (docs/benchmarks.md): 1,000 models' peak RSS about 247 → 232–235 MiB, and a
/// third of the page faults; one model is about 10% faster.
public enum AllocatorTuning {
    public static let mmapThreshold: Int32 = 1 << 20
    public static let trimThreshold: Int32 = 8 << 20

    /// Sets the thresholds; called once at start (by `driftd` and by the stage benchmark).
    public static func apply() {
        #if os(Linux)
            _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
            _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        #endif
    }
}
