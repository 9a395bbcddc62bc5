import DriftCore
import DriftRecords
import Foundation

/// How far a run over `paths`, read in order, has got, in compressed input bytes: the sizes of the files done
/// plus the current file's frame offset. Sizes are taken once, at the start.
public struct InputProgress: Sendable {
    /// What a progress callback gets.
    public struct Sample: Sendable {
        public var doneBytes: Int64
        public var totalBytes: Int64
        public var records: Int
    }

    private let sizes: [String: Int64]
    private var finishedBytes: Int64 = 0
    private var current: String?
    public private(set) var doneBytes: Int64 = 0
    public let totalBytes: Int64

    public init(paths: [String]) {
        var sizes: [String: Int64] = [:]
        for p in paths { sizes[p] = (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int64) ?? 0 }
        self.sizes = sizes
        totalBytes = sizes.values.reduce(0, +)
    }

    /// Accounts for a batch just read.
    public mutating func observe(_ batch: LineBatch) { observe(source: batch.source, resume: batch.resume) }

    /// Accounts for the batch of `source` after which reading resumes at `resume`.
    public mutating func observe(source: String, resume: SourcePosition) {
        if source != current {
            if let current { finishedBytes += sizes[current] ?? 0 }
            current = source
        }
        doneBytes = finishedBytes + min(resume.frameOffset, sizes[source] ?? 0)
    }
}
