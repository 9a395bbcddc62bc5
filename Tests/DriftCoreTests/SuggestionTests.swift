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
    }
}
