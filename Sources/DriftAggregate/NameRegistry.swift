/// Names (of models, of features) and the small integer ids the aggregator indexes its tables by, with reference
/// counts so that the id of a name no one holds any more is freed and handed out again: the tables stay as large
/// as what is live, not as everything ever seen (DESIGN §8: hostile input never makes memory grow without bound).
///
/// Looked up only when a parser's name is first translated, never per value.
struct NameRegistry {
    /// By id; nil for a free id.
    private(set) var names: [String?] = []
    private var ids: [String: Int32] = [:]
    private var references: [Int32] = []
    /// Free ids, highest first (the lowest is handed out next, so the tables stay small).
    private var free: [Int32] = []

    /// Names held now.
    var count: Int { ids.count }

    func id(of name: String) -> Int32? { ids[name] }

    func name(_ id: Int32) -> String? { Int(id) < names.count ? names[Int(id)] : nil }

    /// The id of `name`, held once more (made if new).
    mutating func retain(_ name: String) -> Int32 {
        if let id = ids[name] {
            references[Int(id)] += 1
            return id
        }
        let id: Int32
        if let reused = free.popLast() {
            id = reused
            names[Int(id)] = name
            references[Int(id)] = 1
        } else {
            id = Int32(names.count)
            names.append(name)
            references.append(1)
        }
        ids[name] = id
        return id
    }

    /// Holds `id` once more.
    mutating func retain(id: Int32) {
        references[Int(id)] += 1
    }

    /// Lets go of `id` once; returns true when that freed it.
    @discardableResult
    mutating func release(_ id: Int32) -> Bool {
        let i = Int(id)
        guard i < references.count, references[i] > 0 else { return false }
        references[i] -= 1
        guard references[i] == 0, let name = names[i] else { return false }
        ids[name] = nil
        names[i] = nil
        free.append(id)
        free.sort(by: >)
        return true
    }

    /// A registry holding `names` under their positions as ids (nil or empty: free), each referenced `count(id)`
    /// times; ids with no reference are free. For a restore from a checkpoint.
    init(names: [String?], references count: (Int32) -> Int32) {
        for (i, name) in names.enumerated() {
            let id = Int32(i)
            let n = count(id)
            if let name, !name.isEmpty, n > 0, ids[name] == nil {
                self.names.append(name)
                references.append(n)
                ids[name] = id
            } else {
                self.names.append(nil)
                references.append(0)
                free.append(id)
            }
        }
        free.sort(by: >)
    }

    init() {}
}
