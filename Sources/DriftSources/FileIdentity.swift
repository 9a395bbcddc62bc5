import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which file a source is, whatever its name: device and inode, plus its first bytes, so that a rotated name
/// matching the glob again is not read twice and a new file on a reused inode is not taken for the old one.
public struct FileIdentity: Hashable, Sendable, Codable {
    public static let fingerprintLength = 64

    public var device: UInt64
    public var inode: UInt64
    /// Up to the first 64 bytes of the file (fewer while it is shorter).
    public var fingerprint: [UInt8]

    public init(device: UInt64, inode: UInt64, fingerprint: [UInt8]) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
    }

    /// Reads the identity of the regular file at `path`, or nil when it cannot be opened or is not a regular file
    /// (opened without blocking: a FIFO's `open` would wait for a writer).
    public static func of(path: String) -> FileIdentity? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return of(fd: fd)
    }

    public static func of(fd: Int32) -> FileIdentity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        var prefix = [UInt8](repeating: 0, count: fingerprintLength)
        let n = prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress, fingerprintLength, 0) }
        return FileIdentity(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), fingerprint: Array(prefix.prefix(max(0, n))))
    }

    /// The same file: same device and inode, and one fingerprint a prefix of the other (a file only grows; one
    /// rewritten in place, or a new file on a reused inode, starts differently).
    public func isSameFile(as other: FileIdentity) -> Bool {
        guard device == other.device, inode == other.inode else { return false }
        let n = min(fingerprint.count, other.fingerprint.count)
        return fingerprint.prefix(n) == other.fingerprint.prefix(n)
    }

    private enum CodingKeys: String, CodingKey { case device, inode, fingerprint }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(device, forKey: .device)
        try c.encode(inode, forKey: .inode)
        try c.encode(Data(fingerprint).base64EncodedString(), forKey: .fingerprint)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(UInt64.self, forKey: .device)
        inode = try c.decode(UInt64.self, forKey: .inode)
        fingerprint = Array(Data(base64Encoded: try c.decode(String.self, forKey: .fingerprint)) ?? Data())
    }
}
