/// Facts about the zstd frame format (RFC 8878) that recovery needs without libzstd.
public enum ZstdFrame {
    /// The magic number that starts every zstd frame, little-endian on disk: `28 B5 2F FD`.
    public static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// The index of the first frame magic in `bytes` at or after `start`, or nil.
    public static func firstMagic(in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var i = start
        let last = bytes.count - 4
        while i <= last {
            if bytes[i] == 0x28 && bytes[i + 1] == 0xB5 && bytes[i + 2] == 0x2F && bytes[i + 3] == 0xFD {
                return i
            }
            i += 1
        }
        return nil
    }

    /// True when a file of this name is read as zstd.
    public static func isZstdPath(_ path: String) -> Bool {
        path.hasSuffix(".zst") || path.contains(".zst-") || path.contains(".zst.")
    }
}
