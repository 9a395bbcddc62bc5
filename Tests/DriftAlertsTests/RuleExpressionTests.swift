import DriftAlerts
import Testing

@Suite struct RuleExpressionTests {
    let known = AlertVariables.all

    func holds(_ text: String, _ values: [String: Double]) throws -> Bool {
        try RuleExpression.parse(text, known: known).holds { values[$0] }
    }

    @Test func comparisonsAndLogic() throws {
        #expect(try holds("psi > 0.2", ["psi": 0.25]))
        #expect(try !holds("psi > 0.2", ["psi": 0.2]))
        #expect(try holds("psi >= 0.2", ["psi": 0.2]))
        #expect(try holds("missing_rate > 0.05 and count >= 100", ["missing_rate": 0.1, "count": 100]))
        #expect(try !holds("missing_rate > 0.05 and count >= 100", ["missing_rate": 0.1, "count": 99]))
        #expect(try holds("psi > 0.2 or js >= 0.1", ["psi": 0.01, "js": 0.2]))
        #expect(try holds("not (unseen > 0)", ["unseen": 0]))
        #expect(try holds("js >= threshold_js", ["js": 0.04, "threshold_js": 0.03]))
        #expect(try holds("(psi > 0.2 or js > 0.1) and records >= 1000", ["psi": 0.3, "js": 0, "records": 2000]))
        #expect(try holds("mean < -1.5e1", ["mean": -20]))
    }

    @Test func absentValuesNeverHold() throws {
        #expect(try !holds("psi > 0.2", [:]), "no reference, no PSI, no alert")
        #expect(try !holds("js >= threshold_js", ["js": 0.5]), "no adaptive threshold in the profile")
    }

    @Test func valueAndThresholdComeFromTheFirstComparison() throws {
        let e = try RuleExpression.parse("js >= threshold_js and records > 100", known: known)
        let vt = e.valueAndThreshold { ["js": 0.3, "threshold_js": 0.1, "records": 5][$0] }
        #expect(vt.value == 0.3 && vt.threshold == 0.1)
    }

    @Test(arguments: [
        ("psii > 0.2", "unknown measure 'psii'; did you mean 'psi'?"),
        ("psi 0.2", "expected a comparison"),
        ("psi > ", "expected a measure or a number"),
        ("psi > 0.2 and", "expected a measure or a number"),
        ("(psi > 0.2", "expected ')'"),
        ("psi > 0.2 js > 1", "unexpected text"),
    ])
    func errorsSayWhatIsExpected(_ text: String, _ message: String) {
        do {
            _ = try RuleExpression.parse(text, known: known)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error)")
        }
    }

    @Test func windowLevelRulesReadOnlyWindowMeasures() throws {
        let accuracy = AlertRule(name: "a", expression: try RuleExpression.parse("accuracy < 0.8", known: known))
        let drift = AlertRule(
            name: "d", expression: try RuleExpression.parse("psi > 0.2 and records > 10", known: known))
        #expect(accuracy.isWindowLevel)
        #expect(!drift.isWindowLevel)
        #expect(drift.applies(toFeature: "amount") && drift.applies(toModel: "fraud-v3"))
        let selective = AlertRule(
            name: "s", expression: drift.expression, features: ["am*", "prediction.*"], models: ["fraud-*"])
        #expect(selective.applies(toFeature: "amount") && selective.applies(toFeature: "prediction.score"))
        #expect(!selective.applies(toFeature: "age") && !selective.applies(toModel: "churn-v1"))
    }

    @Test func annotationTemplates() {
        let labels = ["feature": "amount", "model": "fraud-v3", "window": "5m", "team": "ml"]
        let text = AnnotationTemplate.render(
            "{{ $feature }} of {{$model}} drifted over {{ $window }} (PSI {{ $value }} ≥ {{ $threshold }}), team {{ $labels.team }} {{ .Other }}",
            labels: labels, value: 0.2345678, threshold: 0.2)
        #expect(text == "amount of fraud-v3 drifted over 5m (PSI 0.2346 ≥ 0.2), team ml {{ .Other }}")
        #expect(AnnotationTemplate.format(nil) == "-")
        #expect(AnnotationTemplate.format(1234.5678) == "1235")
        #expect(AnnotationTemplate.format(0.000123456) == "0.0001235")
    }
}

@Suite struct RuleExpressionDescriptionTests {
    /// The config's rules are parsed once into `AlertRule`; an expression written back reads as it parses.
    @Test(arguments: [
        "psi > 0.2", "missing_rate > 0.05 and count >= 100", "js >= threshold_js or not ks > 0.3",
        "(psi > 0.2 or js > 0.1) and count >= 1000", "not (psi > 0.1 and js > 0.05)", "accuracy < 0.8",
    ])
    func anExpressionWrittenBackParsesToItself(text: String) throws {
        let e = try RuleExpression.parse(text, known: AlertVariables.all)
        #expect(try RuleExpression.parse(e.description, known: AlertVariables.all) == e, "\(e)")
        let rule = try AlertRule(name: "r", expr: text)
        #expect(rule.expression == e && rule.expr == text)
    }
}
