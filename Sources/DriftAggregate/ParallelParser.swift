import Dispatch
import DriftCore
import DriftRecords

/// Parses line batches on several threads and hands them back in input order (DESIGN §1: the bounded concurrent
/// stage). The reading thread submits, the aggregating thread takes: neither waits for the other's work, so
/// parsing goes on while a batch is being aggregated.
///
/// Batch i goes to parser i mod n, each parser on its own serial queue, so that every parser sees its batches in
/// order and the names it learns line up with the aggregator's translation. At most `inFlight` batches are
/// submitted and not yet taken: the reader waits beyond that (backpressure).
public final class ParallelParser: @unchecked Sendable {  // `next` is the submitting thread's; a parser is its queue's
    private final class Worker: @unchecked Sendable {  // its parser is touched on its queue only
        var parser: BatchParser
        let queue: DispatchQueue
        init(_ parser: BatchParser, _ queue: DispatchQueue) {
            self.parser = parser
            self.queue = queue
        }
    }

    private final class Job: @unchecked Sendable {  // written on a worker's queue before `done` is signalled
        let done = DispatchSemaphore(value: 0)
        var result: ParsedBatch?
    }

    private let workers: [Worker]
    private let jobs: BoundedQueue<Job>
    private var next = 0

    /// - Parameters:
    ///   - workers: parser threads; their indices start at `firstIndex` (0 is the aggregator's own parser).
    ///   - inFlight: batches submitted and not yet taken, at most.
    public init(
        workers: Int, schema: RecordSchema, limits: RecordLimits, labels: Bool = false, inFlight: Int,
        firstIndex: Int = 1,
        wallClock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds
    ) {
        self.workers = (0..<max(1, workers)).map { i in
            Worker(
                BatchParser(
                    index: firstIndex + i, schema: schema, limits: limits, labels: labels, wallClock: wallClock),
                DispatchQueue(label: "driftd.parse.\(i)"))
        }
        jobs = BoundedQueue(capacity: max(1, inFlight))
    }

    /// Producer side: hands `batch` to the next parser; waits while `inFlight` batches are not taken yet.
    public func submit(_ batch: LineBatch) {
        let job = Job()
        let worker = workers[next % workers.count]
        next += 1
        worker.queue.async {
            job.result = worker.parser.parse(batch)
            job.done.signal()
        }
        jobs.put(job)
    }

    /// Producer side: no more batches.
    public func finish() {
        jobs.close()
    }

    /// Consumer side: the next batch in input order, parsed; nil after ``finish()``.
    public func take() -> ParsedBatch? {
        guard let job = jobs.take() else { return nil }
        job.done.wait()
        return job.result!
    }
}
