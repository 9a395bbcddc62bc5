import DriftCore
import DriftStats
import DriftTestSupport
import Foundation
import Testing

/// driftd's sketches in Apache DataSketches' formats, against DataSketches itself: a fixture its Python package
/// wrote (`scripts/make_sketch_fixture.py`), and its check mode reading the bytes driftd writes.
@Suite struct DataSketchesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    nonisolated(unsafe) static let fixture: [String: Any] = {  // read only
        let data = try! Data(contentsOf: root.appendingPathComponent("Fixtures/datasketches.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func entry(_ kind: String, _ name: String) -> [String: Any] {
        (fixture[kind] as! [String: Any])[name] as! [String: Any]
    }

    /// A double's bit pattern in hex, as the fixture writes it.
    static func bits(_ x: Double) -> String {
        let hex = String(x.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func bytes(_ e: [String: Any]) -> [UInt8] { Array(Data(base64Encoded: e["b64"] as! String)!) }

    /// Same values, same registers: MurmurHash3 with seed 9001 and DataSketches' coupons, for text and doubles
    /// (−0.0 as 0.0, NaN as one value), in HLL mode and from a coupon list.
    @Test func hllRegistersEqualDataSketches() throws {
        var strings = HLL8Sketch()
        for i in 0..<5000 { strings.add(text: "user-\(i)") }
        #expect(try HLL8Sketch(image: Self.bytes(Self.entry("hll", "strings"))).registers == strings.registers)
        // Texts of every length around the 16-byte blocks, multi-byte UTF-8 included.
        var long = HLL8Sketch()
        for i in 0..<2000 { long.add(text: "https://example.org/a/\(i)/" + String(repeating: "é", count: i % 20)) }
        #expect(try HLL8Sketch(image: Self.bytes(Self.entry("hll", "long"))).registers == long.registers)
        var doubles = HLL8Sketch()
        for i in 0..<3000 { doubles.add(number: Double(i) * 0.5) }
        for x in [-0.0, 0.0, Double.nan] { doubles.add(number: x) }
        #expect(try HLL8Sketch(image: Self.bytes(Self.entry("hll", "doubles"))).registers == doubles.registers)
        var few = HLL8Sketch()
        for s in ["a", "b", "c"] { few.add(text: s) }
        #expect(try HLL8Sketch(image: Self.bytes(Self.entry("hll", "few"))).registers == few.registers)
        #expect(try HLL8Sketch(image: Self.bytes(Self.entry("hll", "empty"))).isEmpty)
        // driftd's own image reads back, and estimates within 3% of the exact count.
        #expect(try HLL8Sketch(image: strings.serialized()) == strings)
        #expect(abs(strings.estimate - 5000) <= 150)
        #expect(try HLL8Sketch(image: HLL8Sketch().serialized()).isEmpty)
    }

    /// A sketch of few values keeps coupons, not registers: the same registers either way, merged in any order,
    /// and through a checkpoint.
    @Test func fewValuesCostCouponsAndMergeLikeRegisters() throws {
        var small = HLL8Sketch()
        for i in 0..<100 { small.add(text: "v\(i % 60)") }
        var large = HLL8Sketch()
        for i in 0..<3000 { large.add(text: "w\(i)") }
        var all = HLL8Sketch()
        for i in 0..<100 { all.add(text: "v\(i % 60)") }
        for i in 0..<3000 { all.add(text: "w\(i)") }
        var a = small
        a.merge(large)
        var b = large
        b.merge(small)
        #expect(a == all && b == all && a.registers == all.registers)
        #expect(small.registers.filter { $0 > 0 }.count <= 60)
        let data = try JSONEncoder().encode([small, large])
        #expect(try JSONDecoder().decode([HLL8Sketch].self, from: data) == [small, large])
        #expect(abs(small.estimate - 60) <= 2)
    }

    @Test func kllImagesOfDataSketchesAreReadWithTheirAnswers() throws {
        let levels = Self.fixture["levels"] as! [Double]
        for name in ["empty", "one", "small", "lognormal", "integers"] {
            let e = Self.entry("kll", name)
            let sketch = try DataSketchesKLL(image: Self.bytes(e))
            #expect(sketch.n == e["n"] as! Int, "\(name)")
            if sketch.n > 0 {
                #expect(Self.bits(sketch.min) == e["min"] as? String && Self.bits(sketch.max) == e["max"] as? String)
                #expect(levels.map { Self.bits(sketch.quantile($0)!) } == (e["quantiles"] as! [String]), "\(name)")
            }
            // And written back byte for byte (level 0 sorted: DataSketches' own level 0 may not be).
            let again = try DataSketchesKLL(image: sketch.serialized())
            #expect(again == sketch, "\(name)")
        }
    }

    /// Profile files come from other machines: a damaged or hostile image is refused with a reason, never a crash.
    @Test func hostileImagesAreRefused() throws {
        var image = DataSketchesKLL(Self.kllSketch((0..<5000).map(Double.init))).serialized()
        image[18] = 200  // numLevels: DataSketches has at most 61
        #expect(throws: DataSketchesKLL.ImageError.self) { try DataSketchesKLL(image: image) }
        #expect(throws: DataSketchesKLL.ImageError.self) { try DataSketchesKLL(image: Array(image.prefix(30))) }
        var hll = [UInt8](repeating: 0, count: 48)
        hll[0...7] = [3, 1, 7, 12, 250, 0, 0, 1 | 2 << 2]  // a coupon set whose table would be 2^250 slots
        #expect(throws: HLL8Sketch.ImageError.self) { try HLL8Sketch(image: hll) }
    }

    static func kllSketch(_ values: [Double]) -> KLLSketch {
        var s = KLLSketch()
        for v in values { s.add(v) }
        return s
    }

    @Test func capacitiesFollowDataSketches() {
        // datasketches-cpp's level capacities for k = 200: the top level has k, each lower one about 2/3.
        #expect((0..<5).map { DataSketchesKLL.capacity(k: 200, numLevels: 5, height: $0) } == [40, 59, 89, 133, 200])
        #expect(DataSketchesKLL.capacity(k: 200, numLevels: 40, height: 0) == 8)
    }

    /// A driftd sketch of k = 400 becomes a k = 200 DataSketches state: n, min and max kept, levels that fit.
    @Test func driftdSketchesConvertAndMergeKeepingWeight() throws {
        var a = KLLSketch()
        var b = KLLSketch()
        for i in 0..<200_000 {
            let x = Double((i * 7919) % 100_003) / 7.0
            if i % 3 == 0 { a.add(x) } else { b.add(x) }
        }
        let da = DataSketchesKLL(a)
        #expect(da.n == a.count && da.min == a.min && da.max == a.max)
        #expect(da.retained <= da.totalCapacity)
        var merged = da
        merged.merge(DataSketchesKLL(b))
        #expect(merged.n == 200_000 && merged.retained <= merged.totalCapacity)
        let weight = merged.levels.enumerated().reduce(0) { $0 + $1.element.count << $1.offset }
        #expect(weight == merged.n)
        #expect(try DataSketchesKLL(image: merged.serialized()) == merged)
        // With DataSketches' own sketch too.
        var withForeign = try DataSketchesKLL(image: Self.bytes(Self.entry("kll", "lognormal")))
        withForeign.merge(merged)
        #expect(withForeign.n == 300_000)
    }

    /// DataSketches reads what driftd writes: n, min, max, quantiles within the rank bound of the exact data, and
    /// distinct estimates within 3% (the script's check mode, through Python's `datasketches`).
    @Test func dataSketchesReadsDriftdsBytes() throws {
        let dir = TemporaryDirectory()
        var lines: [String] = []
        func kll(_ name: String, _ values: [Double]) {
            var sketch = KLLSketch()
            for v in values { sketch.add(v) }
            let d = DataSketchesKLL(sketch)
            let sorted = values.sorted()
            // Each quantile must lie between the exact values 2% of ranks either side.
            let bounds: [[Double]] =
                sorted.isEmpty
                ? []
                : [0.01, 0.25, 0.5, 0.75, 0.99].map { q in
                    let lo = sorted[max(0, Int((q - 0.02) * Double(sorted.count)))]
                    let hi = sorted[min(sorted.count - 1, Int((q + 0.02) * Double(sorted.count)))]
                    return [q, lo, hi]
                }
            let line: [String: Any] = [
                "kind": "kll", "name": name, "b64": Data(d.serialized()).base64EncodedString(), "n": values.count,
                "min": sorted.first ?? 0, "max": sorted.last ?? 0, "bounds": bounds,
            ]
            lines.append(String(decoding: try! JSONSerialization.data(withJSONObject: line), as: UTF8.self))
        }
        func hll(_ name: String, _ sketch: HLL8Sketch, exact: Int) {
            let line: [String: Any] = [
                "kind": "hll", "name": name, "b64": Data(sketch.serialized()).base64EncodedString(), "exact": exact,
                "lg_k": sketch.lgK,
            ]
            lines.append(String(decoding: try! JSONSerialization.data(withJSONObject: line), as: UTF8.self))
        }
        var seed: UInt64 = 42
        func uniform() -> Double { Double(SplitMix64.next(&seed) >> 11) / Double(1 << 53) }
        kll("empty", [])
        kll("one", [3.25])
        kll("small", (0..<150).map { _ in uniform() })
        kll("normal", (0..<100_000).map { _ in (-2 * log(uniform() + 1e-300)).squareRoot() * cos(2 * .pi * uniform()) })
        kll("integers", (0..<50_000).map { _ in Double(Int(uniform() * 40)) })
        var text = HLL8Sketch()
        for i in 0..<20_000 { text.add(text: "merchant-\(i % 12_345)") }
        hll("text", text, exact: 12_345)
        var numbers = HLL8Sketch()
        for i in 0..<100 { numbers.add(number: Double(i)) }
        hll("numbers", numbers, exact: 100)
        hll("empty", HLL8Sketch(), exact: 0)
        try writeFile(dir.file("driftd-sketches.jsonl"), lines.joined(separator: "\n") + "\n")
        let python = try #require(which("python3"), "python3 is missing")
        let check = try runProcess(
            python, [packageRoot() + "/scripts/make_sketch_fixture.py", "--check", dir.file("driftd-sketches.jsonl")])
        #expect(check.status == 0, "\(check.stdoutText)\n\(check.stderr) (run scripts/setup for Python's datasketches)")
        let verdicts = check.stdoutText.split(separator: "\n")
        #expect(verdicts.count == lines.count && verdicts.allSatisfy { $0.hasSuffix(" ok") }, "\(check.stdoutText)")
    }
}
