#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gives each distinct name (a feature, a model) a small integer, so that the hot path indexes arrays instead of
/// hashing strings: a name's bytes are hashed (FNV-1a) and compared, no `String` is made. The bytes of all names
/// live in one buffer, so that a lookup touches no reference-counted storage but that one.
public struct NameInterner: Sendable {
    /// The names, by id.
    public private(set) var names: [String] = []
    private var storage: [UInt8] = []
    /// Where each name's bytes are in `storage`, by id.
    private var spans: [(start: Int32, count: Int32)] = []
    private var hashes: [UInt64] = []
    /// Open addressing: slot → id + 1 (0: empty).
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)

    public init() {}

    public var count: Int { names.count }

    /// The id of the name spelled by `prefix` followed by `key`, adding it if new. When `hint` names it (records
    /// of one shape list their keys in the same order), that costs one comparison and no hashing.
    public mutating func id(
        _ key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer = .init(start: nil, count: 0),
        hint: Int32 = -1
    ) -> Int32 {
        if spells(hint, prefix, key) { return hint }
        return lookUp(key, prefix: prefix)
    }

    /// True when `id` (maybe -1) is the name spelled by `prefix` followed by `key`: the hinted case, inlined
    /// into the caller.
    @inline(__always)
    func spells(_ id: Int32, _ prefix: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        id >= 0 && Int(id) < spans.count && equal(Int(id), prefix, key)
    }

    /// The id of `prefix` + `key` by hashing, adding the name if new.
    @inline(never)
    private mutating func lookUp(_ key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer) -> Int32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in prefix { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == h && equal(id, prefix, key) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = names.count
        let start = storage.count
        storage.append(contentsOf: prefix)
        storage.append(contentsOf: key)
        names.append(String(decoding: storage[start...], as: UTF8.self))
        spans.append((Int32(start), Int32(storage.count - start)))
        hashes.append(h)
        slots[slot] = Int32(id + 1)
        if names.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The id of a name given as a string, adding it if new.
    public mutating func id(_ name: String) -> Int32 {
        Array(name.utf8).withUnsafeBytes { id($0) }
    }

    @inline(__always)
    private func equal(_ id: Int, _ prefix: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        let span = spans[id]
        guard Int(span.count) == prefix.count + key.count else { return false }
        return storage.withUnsafeBytes { s in
            let start = s.baseAddress! + Int(span.start)
            return ShortBytes.equal(start, prefix) && ShortBytes.equal(start + prefix.count, key)
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
