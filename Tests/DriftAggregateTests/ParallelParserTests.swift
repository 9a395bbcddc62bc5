import DriftAggregate
import DriftCore
import DriftRecords
import DriftTestSupport
import Foundation
import Testing

/// Parsed batches given back to the parsers (`recycle`) are filled again: the same storage, the right records.
@Suite struct ParallelParserTests {
    static func lines(_ count: Int, from first: Int) -> [String] {
        (first..<(first + count)).map { i in
            #"{"ts":"2026-11-18T00:00:\#(String(format: "%02d", i % 60))Z","model":"m\#(i % 7)","features":{"x":\#(i),"c":"v\#(i)"}}"#
        }
    }

    static func storage(_ buffer: RecordBuffer) -> [Int] {
        [
            buffer.records.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) },
            buffer.values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) },
            buffer.text.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) },
        ]
    }

    static func numbers(_ batch: ParsedBatch) -> [Double] {
        batch.buffer.values.compactMap { v in
            if case .number(let x) = v.value { return x } else { return nil }
        }
    }

    static func categories(_ batch: ParsedBatch) -> [String] {
        batch.buffer.values.compactMap { v in
            if case .category(let range) = v.value { return batch.buffer.string(range) } else { return nil }
        }
    }

    @Test func aRecycledBatchsBufferIsFilledAgainInPlace() throws {
        let parsers = ParallelParser(workers: 1, schema: .default, limits: RecordLimits(), inFlight: 1, spares: 1)
        parsers.submit(lineBatch(Self.lines(500, from: 0)))
        var first = try #require(parsers.take())
        let before = Self.storage(first.buffer)
        #expect(first.buffer.records.count == 500)
        parsers.recycle(&first)
        #expect(first.buffer.records.isEmpty)

        parsers.submit(lineBatch(Self.lines(300, from: 500)))
        let second = try #require(parsers.take())
        #expect(Self.storage(second.buffer) == before)
        // Only the new batch's records and values: nothing of the first is left in the reused buffer.
        #expect(second.buffer.records.count == 300)
        #expect(Self.numbers(second) == (500..<800).map(Double.init))
        #expect(Self.categories(second) == (500..<800).map { "v\($0)" })
    }

    @Test func withoutSparesEveryBatchIsNew() throws {
        let parsers = ParallelParser(workers: 1, schema: .default, limits: RecordLimits(), inFlight: 1)
        parsers.submit(lineBatch(Self.lines(500, from: 0)))
        var first = try #require(parsers.take())
        let kept = first
        parsers.recycle(&first)
        parsers.submit(lineBatch(Self.lines(500, from: 500)))
        let second = try #require(parsers.take())
        #expect(Self.storage(second.buffer)[1] != Self.storage(kept.buffer)[1])
        #expect(Self.numbers(kept) == (0..<500).map(Double.init))
        #expect(Self.numbers(second) == (500..<1000).map(Double.init))
    }

    @Test func lineBatchesGoBackToTheirReaderOnceParsed() throws {
        let lineSpares = Spares<LineBatch>(kept: 1)
        let parsers = ParallelParser(
            workers: 1, schema: .default, limits: RecordLimits(), inFlight: 1, lineSpares: lineSpares)
        parsers.submit(lineBatch(Self.lines(100, from: 0)))
        let parsed = try #require(parsers.take())
        #expect(parsed.buffer.records.count == 100)
        let back = try #require(lineSpares.take())
        #expect(back.lines.count == 100)
        #expect(back.text(99) == Self.lines(1, from: 99)[0])
    }
}
