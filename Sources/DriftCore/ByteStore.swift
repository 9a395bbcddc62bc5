/// Growable bytes for ``JSONWriter``, where each append is one copy. A metric line is a few hundred appends of a
/// few bytes (a quote, a name, a number's digits), and `Array.append(contentsOf:)` cost 50 to 90 instructions
/// each, more than the bytes themselves.
///
/// A value: copies share the buffer until one of them appends, which then copies it first.
struct ByteStore: @unchecked Sendable {  // copy on write: a shared buffer is never written
    private final class Buffer {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }
    }

    private var buffer: Buffer

    init(capacity: Int) {
        buffer = Buffer(capacity: capacity)
    }

    var count: Int { buffer.count }

    /// The bytes, as an array.
    var array: [UInt8] { [UInt8](UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }

    /// The bytes of `range`, as an array slice.
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count)
        return ArraySlice(UnsafeBufferPointer(start: buffer.base + range.lowerBound, count: range.count))
    }

    /// Where `n` more bytes go, in a buffer this value alone holds.
    @inline(__always)
    private mutating func room(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if !isKnownUniquelyReferenced(&buffer) || buffer.capacity - buffer.count < n { grow(n) }
        return buffer.base + buffer.count
    }

    private mutating func grow(_ n: Int) {
        let larger = Buffer(capacity: Swift.max(buffer.capacity * 2, buffer.count + n))
        larger.base.initialize(from: buffer.base, count: buffer.count)
        larger.count = buffer.count
        buffer = larger
    }

    mutating func append(_ byte: UInt8) {
        room(1).pointee = byte
        buffer.count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        UnsafeMutableRawPointer(room(bytes.count)).copyMemory(from: source, byteCount: bytes.count)
        buffer.count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }
}
