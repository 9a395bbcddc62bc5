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
        /// The lines to parse, taken out by the worker (so that it holds the only copy when it gives them back).
        var input: LineBatch?
    }

    private let workers: [Worker]
    private let jobs: BoundedQueue<Job>
    private var next = 0
    /// Buffers of ingested batches (``recycle(_:)``), filled again.
    private let buffers: Spares<RecordBuffer>
    /// Where parsed line batches go back to their reader (``SourceReader/spares``); nil: they are freed.
    private let lineSpares: Spares<LineBatch>?

    /// - Parameters:
    ///   - workers: parser threads; their indices start at `firstIndex` (0 is the aggregator's own parser).
    ///   - inFlight: batches submitted and not yet taken, at most.
    ///   - lineSpares: where parsed line batches go back to their reader; nil: they are freed.
    ///   - spares: how many buffers of ingested batches are kept for later batches (``recycle(_:)``).
    public init(
        workers: Int, schema: RecordSchema, limits: RecordLimits, labels: Bool = false, inFlight: Int,
        firstIndex: Int = 1, lineSpares: Spares<LineBatch>? = nil, spares: Int = 0,
        wallClock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds
    ) {
        self.lineSpares = lineSpares
        buffers = Spares(kept: spares)
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
        job.input = batch
        let worker = workers[next % workers.count]
        next += 1
        let (buffers, lineSpares) = (buffers, lineSpares)
        worker.queue.async {
            let lines = job.input.take()!
            var spare = buffers.take()
            job.result = worker.parser.parse(lines, reusing: &spare)
            lineSpares?.put(lines)
            job.done.signal()
        }
        jobs.put(job)
    }

    /// Consumer side: gives back a batch this parser made, once it is ingested: its buffer is filled again by a
    /// later batch (``Spares``). The batch is left empty.
    public func recycle(_ batch: inout ParsedBatch) {
        var buffer = RecordBuffer()
        swap(&buffer, &batch.buffer)
        buffers.put(buffer)
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
