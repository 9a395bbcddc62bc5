import Dispatch
import DriftRecords

/// Parses line batches on several threads while the caller aggregates the ones already parsed, handing the
/// results back in input order (DESIGN §1: the bounded concurrent stage).
///
/// Batch i goes to parser i mod n, each parser on its own serial queue, so that every parser sees its batches in
/// order and the names it learns line up with the aggregator's translation. At most 2n batches are in flight.
final class ParallelParser {
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
    private var pending: [Job] = []
    private var next = 0

    /// - Parameter workers: parser threads; their indices start at 1 (0 is the aggregator's own parser).
    init(workers: Int, schema: RecordSchema, maxLineBytes: Int) {
        self.workers = (0..<max(1, workers)).map { i in
            Worker(BatchParser(index: i + 1, schema: schema, maxLineBytes: maxLineBytes),
                   DispatchQueue(label: "driftd.parse.\(i)"))
        }
    }

    /// Hands `batch` to a parser; calls `ready` with parsed batches, in input order, as they become due.
    func submit(_ batch: LineBatch, ready: (ParsedBatch) -> Void) {
        let job = Job()
        let worker = workers[next % workers.count]
        next += 1
        worker.queue.async {
            job.result = worker.parser.parse(batch)
            job.done.signal()
        }
        pending.append(job)
        if pending.count >= 2 * workers.count { ready(takeOldest()) }
    }

    /// Hands back every batch still in flight, in order.
    func drain(ready: (ParsedBatch) -> Void) {
        while !pending.isEmpty { ready(takeOldest()) }
    }

    private func takeOldest() -> ParsedBatch {
        let job = pending.removeFirst()
        job.done.wait()
        return job.result!
    }
}
