import DriftCore
import Testing

@Suite struct SuggestionTests {
    @Test(
        arguments: [
            ("slid", "slide"), ("windws", "windows"), ("allowed_latenes", "allowed_lateness"), ("zzzz", nil),
            ("psi", "psi"), ("", nil),
        ] as [(String, String?)])
    func theNearestNameIsSuggestedOnlyWhenItIsATypo(typed: String, suggested: String?) {
        let keys = ["size", "slide", "windows", "allowed_lateness", "idle_timeout", "psi", "js"]
        #expect(Suggestion.nearest(to: typed, in: keys) == suggested)
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("abc", "abc") == 0)
        #expect(Suggestion.editDistance("ünï", "uni") == 2)
        #expect(Suggestion.editDistance("pis", "psi") == 1, "a transposition is one edit")
        #expect(Suggestion.editDistance("ca", "abc") == 3)
    }

    /// `pis` suggested `p50` (two substitutions tied with the transposition, and `p50` came first).
    @Test func aTransposedMeasureSuggestsItself() {
        let measures = ["count", "js", "ks", "mean", "p01", "p05", "p10", "p50", "p99", "psi"]
        #expect(Suggestion.nearest(to: "pis", in: measures) == "psi")
        #expect(Suggestion.nearest(to: "mena", in: measures) == "mean")
    }
}
