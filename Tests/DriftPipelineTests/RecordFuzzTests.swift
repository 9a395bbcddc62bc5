import DriftAggregate
import DriftCore
import DriftTestSupport
import Foundation
import Testing

/// A short run of `scripts/fuzz_records`: the whole record path over realistic and mutated lines. It passes by
/// not crashing; the counts say the hostile cases were reached.
@Suite struct RecordFuzzTests {
    let dir = TemporaryDirectory()

    @Test(arguments: [1, 2] as [UInt64])
    func mutatedRealLinesNeverCrashTheRecordPath(seed: UInt64) throws {
        let telemetry = quietTelemetry()
        var fuzzer = RecordFuzzer(seed: seed, directory: dir.path, telemetry: telemetry)
        for _ in 0..<150 { try fuzzer.round() }
        #expect(fuzzer.lines > 5_000)
        #expect(fuzzer.windows > 0)
        #expect(fuzzer.zstdFiles > 0)
        for reason in ["invalid_json", "bad_timestamp", "out_of_range", "too_many_models"] {
            #expect(telemetry.counter("records_rejected_total{reason=\"\(reason)\"}") > 0, "\(reason) reached")
        }
        #expect(telemetry.counter("feature_values_dropped_total") > 0)
        // Every counter the record path keeps is in the catalog the textfile and the docs read.
        for key in telemetry.counters.keys {
            let family = key.firstIndex(of: "{").map { String(key[..<$0]) } ?? key
            #expect(CounterCatalog.byName[family] != nil, "\(family) is not in CounterCatalog")
        }
    }
}
