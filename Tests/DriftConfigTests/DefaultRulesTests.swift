import DriftAlerts
import DriftConfig
import Foundation
import Testing

/// One source for the default thresholds: the shipped rules are written from `DefaultThresholds`, which the
/// report draws, and the built-in copy is the shipped file.
@Suite struct DefaultRulesTests {
    @Test func theBuiltInRulesAreTheShippedFileAndUseTheDefaultThresholds() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("Config/rules/default.yaml"), encoding: .utf8)
        #expect(DefaultRules.yaml == shipped)
        let config = try ConfigLoader.parse(yaml: "inputs: [{path: a}]\n" + shipped, file: "/x/rules.yaml")
        let rules = Dictionary(uniqueKeysWithValues: config.rules.map { ($0.name, $0.expr) })
        #expect(rules["FeatureDrift"] == "psi >= \(DefaultThresholds.psiCritical)")
        #expect(
            rules["FeatureDriftWarning"]
                == "psi >= \(DefaultThresholds.psiWarning) and psi < \(DefaultThresholds.psiCritical)")
        #expect(
            rules["FeatureDistanceHigh"]
                == "js >= \(DefaultThresholds.js) or wasserstein_norm >= \(DefaultThresholds.wassersteinNorm)")
        #expect(
            rules["CategoricalShift"]
                == "chi2_p < \(DefaultThresholds.chi2P) and count < \(DefaultThresholds.chi2MaxRecords)")
    }
}
