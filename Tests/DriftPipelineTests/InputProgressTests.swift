import DriftCore
import DriftPipeline
import DriftRecords
import DriftTestSupport
import Foundation
import Testing

@Suite struct InputProgressTests {
    let dir = TemporaryDirectory()

    @Test func progressRisesThroughEachFileAndEndsAtTheTotalSize() throws {
        var paths: [String] = []
        for name in ["a", "b"] {
            let lines = (0..<20_000).map {
                #"{"ts":\#($0),"features":{"x":\#($0 * 7 % 1000),"name":"\#(name)-\#($0)"}}"#
            }
            let path = dir.file("\(name).jsonl.zst")
            try writeFile(path, zstdCompress(lines: lines, frameLines: 500).bytes)
            paths.append(path)
        }
        let sizeA = Int64(try readFile(paths[0]).count)
        let sizeB = Int64(try readFile(paths[1]).count)
        var progress = InputProgress(paths: paths)
        #expect(progress.totalBytes == sizeA + sizeB)
        var seen: [(source: String, done: Int64)] = []
        try Inputs.read(paths, maxLineBytes: 1 << 20, telemetry: quietTelemetry()) { batch in
            progress.observe(batch)
            seen.append((batch.source, progress.doneBytes))
        }
        #expect(seen.count > 4, "several batches per file")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.done <= $1.done }, "never goes back")
        #expect(seen.filter { $0.source == paths[1] }.allSatisfy { $0.done >= sizeA }, "the first file counts whole")
        #expect(seen.filter { $0.source == paths[0] }.allSatisfy { $0.done <= sizeA })
        #expect(seen.last!.done == sizeA + sizeB)
    }
}
