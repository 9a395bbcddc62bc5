/// "Did you mean …?" for names people type: the candidate nearest by edit distance, when it is close enough to
/// be a typo. One implementation for config keys and rule measures.
public enum Suggestion {
    /// The candidate nearest to `name`, if its distance is at most `maxDistance` (default: 2, or a third of the
    /// name's length for longer names). Ties go to the earlier candidate.
    public static func nearest(to name: String, in candidates: some Sequence<String>, maxDistance: Int? = nil)
        -> String?
    {
        guard !name.isEmpty else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = editDistance(name, candidate)
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best, best.distance <= (maxDistance ?? max(2, name.count / 3)) else { return nil }
        return best.name
    }

    /// Edit distance over characters, an adjacent transposition counting as one edit (optimal string alignment):
    /// `pis` is one edit from `psi`, not two — it had tied with `p50`, which came first.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
