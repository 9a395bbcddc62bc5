import DriftRecords
import DriftTestSupport
import Testing

@Suite struct LineFramerTests {
    func frame(_ pieces: [[UInt8]], max: Int = 1 << 20) -> (lines: [String], batch: LineBatch) {
        var framer = LineFramer(maxLineBytes: max)
        var batch = LineBatch(source: "t")
        for p in pieces { p.withUnsafeBytes { framer.push($0, into: &batch) } }
        framer.finish(into: &batch)
        return (batch.lines.indices.map { batch.lines[$0].tooLong ? "<too long>" : batch.text($0) }, batch)
    }

    @Test func everySplitPointGivesTheSameLines() {
        let text = Array("alpha\nbeta\r\n\ngamma delta\nlast".utf8)
        let expected = ["alpha", "beta", "", "gamma delta", "last"]
        for cut in 0...text.count {
            #expect(frame([Array(text[..<cut]), Array(text[cut...])]).lines == expected, "cut at \(cut)")
        }
        #expect(frame(text.map { [$0] }).lines == expected)
    }

    @Test func offsetsAndLineNumbersPointAtEachLine() {
        let (_, batch) = frame([Array("ab\ncde\n\nf".utf8)])
        #expect(batch.lines.map(\.offset) == [0, 3, 7, 8])
        #expect(batch.lines.map(\.number) == [1, 2, 3, 4])
    }

    @Test func linesOverTheLimitAreMarkedWithoutKeepingTheirBytes() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 100)
        let text = Array("ok\n".utf8) + long + Array("\nalso ok\n".utf8) + long + long
        for piece in [1, 7, 64, 1000] {
            let pieces = stride(from: 0, to: text.count, by: piece).map {
                Array(text[$0..<min(text.count, $0 + piece)])
            }
            let (lines, batch) = frame(pieces, max: 64)
            #expect(lines == ["ok", "<too long>", "also ok", "<too long>"], "piece \(piece)")
            #expect(batch.bytes.count <= 64 + 10)
            #expect(batch.lines.map(\.offset) == [0, 3, 104, 112])
        }
    }

    @Test func aLineExactlyAtTheLimitIsKept() {
        let line = [UInt8](repeating: UInt8(ascii: "y"), count: 64)
        #expect(frame([line + [0x0A]], max: 64).lines == [String(repeating: "y", count: 64)])
        #expect(frame([line + [0x79, 0x0A]], max: 64).lines == ["<too long>"])
    }

    @Test func droppingAPartialLineForgetsItsBytes() {
        var framer = LineFramer()
        var batch = LineBatch(source: "t")
        Array("one\ntw".utf8).withUnsafeBytes { framer.push($0, into: &batch) }
        #expect(framer.dropPartialLine() == 2)
        Array("three\n".utf8).withUnsafeBytes { framer.push($0, into: &batch) }
        framer.finish(into: &batch)
        #expect(batch.lines.indices.map { batch.text($0) } == ["one", "three"])
    }

    /// Complete lines of a chunk are copied in runs; against splitting the whole text, on random lines (blank,
    /// `\r\n`, over the limit) cut into random pieces: the same lines, offsets and numbers.
    @Test func randomTextInRandomPiecesFramesAsSplittingDoes() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<200 {
            var text: [UInt8] = []
            var expected: [(text: String, offset: Int64)] = []
            var tooLongBytes = 0
            for _ in 0..<Int(rng.unit() * 30) {
                let length = [0, 1, 5, 40, 63, 64, 65, 200][Int(rng.unit() * 8)]
                let line = (0..<length).map { _ in UInt8(ascii: "a") + UInt8(rng.unit() * 26) }
                let crlf = rng.unit() < 0.2
                expected.append((length > 64 ? "<too long>" : String(decoding: line, as: UTF8.self), Int64(text.count)))
                text += line + (crlf ? [0x0D, 0x0A] : [0x0A])
                if crlf && length + 1 > 64 && length <= 64 { expected[expected.count - 1].text = "<too long>" }
                if expected[expected.count - 1].text == "<too long>" { tooLongBytes += length }
            }
            var pieces: [[UInt8]] = []
            var at = 0
            while at < text.count {
                let n = 1 + Int(rng.unit() * 150)
                pieces.append(Array(text[at..<min(text.count, at + n)]))
                at += n
            }
            let (lines, batch) = frame(pieces, max: 64)
            #expect(lines == expected.map(\.text))
            #expect(batch.lines.map(\.offset) == expected.map(\.offset))
            #expect(batch.lines.map(\.number) == (0..<Int64(expected.count)).map { $0 + 1 })
            #expect(batch.bytes.count <= text.count - tooLongBytes, "lines over the limit are not kept")
        }
    }
}
