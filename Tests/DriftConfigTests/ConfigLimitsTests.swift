import DriftConfig
import DriftCore
import DriftRecords
import Testing

/// Specs and limits that once passed `check` and then took gigabytes or overflowed (issue: hostile input).
@Suite struct ConfigLimitsTests {
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(yaml: "inputs:\n  - path: a.zst\n" + yaml, file: "/etc/driftd/driftd.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aSlideThatPutsARecordInOverAThousandWindowsIsRefusedWithTheLeastSlide() {
        let e = errors("windows:\n  - size: 36500d\n    slide: 1s\n")
        #expect(e.contains { $0.contains("windows[].size must be at most 100d") }, "\(e)")
        let f = errors("windows:\n  - size: 1d\n    slide: 1m\n")
        #expect(f.count == 1)
        #expect(
            f.first?.contains(":5:12: windows[].slide 1m puts each record in 1440 windows of 1d") == true,
            "\(String(describing: f.first))")
        #expect(f.first?.contains("make the slide at least 1m30s") == true, "\(f)")
        #expect(errors("windows:\n  - size: 1d\n    slide: 2m\n").isEmpty, "720 windows is within the cap")
    }

    @Test func aDurationWhoseSumOverflowsIsNotADuration() {
        #expect(Span(parsing: "106751d106751d") == nil, "each part fits in 64 bits, the sum does not")
        #expect(errors("windows:\n  - size: 106751d106751d\n").first?.contains("must be a duration") == true)
    }

    @Test func latenessBeyondTheYearsArithmeticIsRefused() {
        #expect(errors("windows:\n  - size: 5m\n    allowed_lateness: 101d\n").first?.contains("at most 100d") == true)
    }

    @Test func limitsAreReadAndBounded() throws {
        let c = try ConfigLoader.parse(
            yaml: "inputs:\n  - path: a\nlimits:\n  max_future: 1m\n  max_models: 20\n  max_features: 30\n"
                + "  max_zstd_window: 256MiB\n  max_open_files: 64\n", file: "/x/d.yaml")
        #expect(c.limits.maxFuture == .seconds(60))
        #expect(c.limits.records == RecordLimitsSnapshot.expected)
        #expect(c.limits.maxZstdWindow.bytes == 256 << 20)
        #expect(c.limits.maxOpenFiles == 64)
        #expect(errors("limits:\n  max_zstd_window: 3GiB\n").first?.contains("between 1MiB and 2GiB") == true)
        #expect(errors("limits:\n  max_zstd_window: 200MiB\n").first?.contains("power of two") == true)
        #expect(errors("limits:\n  max_models: 0\n").first?.contains("≥ 1") == true)
        #expect(errors("limits:\n  max_line_bytes: 1GiB\n").first?.contains("between 64 and 64MiB") == true)
    }

    @Test func duplicateRuleAndHookNamesAreRefused() {
        let rules = "rules:\n  - alert: A\n    expr: \"psi > 0.2\"\n  - alert: A\n    expr: \"js > 0.1\"\n"
        #expect(errors(rules).first?.contains(":6:5: two rules are named 'A'") == true, "\(errors(rules))")
        let hooks = "hooks:\n  - name: h\n    log: true\n  - name: h\n    log: true\n"
        #expect(errors(hooks).first?.contains("two hooks are named 'h'") == true, "\(errors(hooks))")
    }

    @Test func annotationTemplatesAreChecked() {
        let unclosed =
            "rules:\n  - alert: A\n    expr: \"psi > 0.2\"\n    annotations: {summary: \"{{ $feature drifted\"}\n"
        #expect(errors(unclosed).first?.contains("annotations.summary: '{{' at") == true, "\(errors(unclosed))")
        let unknown = "rules:\n  - alert: A\n    expr: \"psi > 0.2\"\n    annotations: {summary: \"{{ $feture }}\"}\n"
        #expect(errors(unknown).first?.contains("unknown template variable '{{ $feture }}'") == true)
        let fine =
            "rules:\n  - alert: A\n    expr: \"psi > 0.2\"\n    annotations: {summary: \"{{ $labels.team }} {{$value}}\"}\n"
        #expect(errors(fine).isEmpty)
    }
}

private enum RecordLimitsSnapshot {
    static let expected = RecordLimits(maxLineBytes: 1 << 20, maxFuture: .seconds(60), maxModels: 20, maxFeatures: 30)
}
