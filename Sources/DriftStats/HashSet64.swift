/// A set of 64-bit hashes by open addressing, the hash its own slot index (XXH64's bits are already uniform):
/// cheaper than `Set`, which hashes every element again with SipHash. Insertion only.
struct HashSet64: Sendable {
    /// 0 marks an empty slot; the hash 0 itself is kept in `hasZero`. No table until the first hash: a numeric
    /// feature never has one, and thousands of models open and close hundreds of thousands of windows.
    private var slots: [UInt64] = []
    private var hasZero = false
    private(set) var count = 0

    mutating func insert(_ h: UInt64) {
        guard h != 0 else {
            if !hasZero { (hasZero, count) = (true, count + 1) }
            return
        }
        if slots.isEmpty { slots = [UInt64](repeating: 0, count: 16) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            if slots[slot] == h { return }
            slot = (slot + 1) & mask
        }
        slots[slot] = h
        count += 1
        if 4 * count > 3 * slots.count { grow() }
    }

    /// Calls `body` with each element, in the table's order (which depends on the order of insertion): for
    /// consumers whose result does not depend on the order, such as another set.
    func visitElements(_ body: (UInt64) -> Void) {
        if hasZero { body(0) }
        for h in slots where h != 0 { body(h) }
    }

    /// The elements, ascending (a deterministic order).
    var sortedElements: [UInt64] {
        var all = slots.filter { $0 != 0 }
        if hasZero { all.append(0) }
        return all.sorted()
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for h in old where h != 0 {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = h
        }
    }
}
