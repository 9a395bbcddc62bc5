import DriftCore
import DriftRecords
import DriftSources
import DriftTestSupport
import Testing

/// A reader fills batches given back to it (`spares`): the same lines as with new batches, in the same storage.
@Suite struct SourceReaderSparesTests {
    let dir = TemporaryDirectory()

    /// The lines of every batch, and the bytes' storage of each, the batches given back as a consumer gives them.
    func read(_ path: String, spares: Spares<LineBatch>?) throws -> (batches: [[String]], storage: Set<Int>) {
        let reader = try SourceReader(path: path, batchLines: 40, telemetry: quietTelemetry())
        reader.spares = spares
        var batches: [[String]] = []
        var storage = Set<Int>()
        let deliver: (LineBatch) -> Void = { batch in
            batches.append(batch.lines.indices.map { batch.text($0) })
            storage.insert(batch.bytes.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) })
            spares?.put(batch)
        }
        try reader.pump(deliver)
        reader.finish(deliver)
        return (batches, storage)
    }

    @Test func batchesFilledAgainHoldTheSameLinesAsNewOnes() throws {
        // Lines of every length up to 300 bytes, so that a later batch is shorter than the storage it reuses.
        let lines = (0..<4000).map { i in
            #"{"i":\#(i),"pad":"\#(String(repeating: "x", count: (i * 37) % 300))"}"#
        }
        let path = dir.file("lines.jsonl.zst")
        try writeFile(path, zstdCompress(lines: lines, flushEvery: 7, frameLines: 130).bytes)
        let fresh = try read(path, spares: nil)
        let spares = Spares<LineBatch>(kept: 1)
        let reused = try read(path, spares: spares)
        #expect(fresh.batches.count >= 20)
        #expect(reused.batches == fresh.batches)
        #expect(Array(reused.batches.joined()) == lines)
        // Two batches take turns, the one being filled and the one given back; a batch longer than any before
        // it still grows its storage. New batches mostly get storage of their own.
        #expect(reused.storage.count <= 6)
        #expect(fresh.storage.count > 6)
    }

    @Test func sparesKeepNoMoreThanTheyAreToldTo() {
        let spares = Spares<[Int]>(kept: 2)
        for i in 0..<5 { spares.put([i]) }
        #expect(spares.count == 2)
        #expect(spares.take() == [1])
        #expect(spares.take() == [0])
        #expect(spares.take() == nil)
    }
}
