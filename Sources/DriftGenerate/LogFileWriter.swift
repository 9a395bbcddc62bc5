import DriftCore
import DriftSystem
import DriftZstd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes log lines the way docs/writer-guide.md asks inference servers to: zstd with a block flush every few
/// lines and a frame end every N lines (checksums on), or plain JSON lines; rotation by rename, then create.
public final class LogFileWriter {
    public struct Options: Sendable {
        public var zstd = true
        public var level: Int32 = 3
        /// Lines between block flushes (so a tailer sees them at once).
        public var flushEvery = 8
        /// Lines per zstd frame (a reader can resume at frame starts).
        public var frameLines = 1000
        /// Rotate after this many lines; nil: never.
        public var rotateEvery: Int?
        public var rotation = Rotation.rename

        /// How a file is rotated.
        public enum Rotation: String, Sendable, CaseIterable {
            /// Rename to `<path>-0001`, `-0002`, …, then create the live name anew.
            case rename
            /// Keep the finished file as `replaced-0001-<name>` (a hard link, outside a `<name>*` glob), then
            /// atomically replace the live name with a new file (write a temporary file, rename it over).
            case replace
        }

        public init() {}
    }

    public let path: String
    public let options: Options
    private var fd: Int32 = -1
    private let encoder: ZstdEncoder?
    private var out: [UInt8] = []
    private var linesInFrame = 0
    private var linesInFile = 0
    public private(set) var rotations = 0
    /// Paths of the files written, oldest first (rotated names, then the live one).
    public private(set) var files: [String] = []

    public init(path: String, options: Options) throws(DriftError) {
        self.path = path
        self.options = options
        encoder = options.zstd ? ZstdEncoder(level: options.level, checksum: true) : nil
        try openLive()
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Appends one line (a newline is added).
    public func write(line: [UInt8]) throws(DriftError) {
        var bytes = line
        bytes.append(0x0A)
        linesInFrame += 1
        linesInFile += 1
        if let encoder {
            let endFrame = linesInFrame >= options.frameLines
            let flush = linesInFrame % options.flushEvery == 0
            encoder.write(bytes, mode: endFrame ? .end : flush ? .flush : .continue, into: &out)
            if endFrame { linesInFrame = 0 }
        } else {
            out.append(contentsOf: bytes)
        }
        if encoder == nil || linesInFrame % options.flushEvery == 0 || out.count >= 1 << 16 { try drain() }
        if let every = options.rotateEvery, linesInFile >= every { try rotate() }
    }

    /// Ends the current frame and writes everything out.
    public func close() throws(DriftError) {
        try endFrame()
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    private func endFrame() throws(DriftError) {
        if let encoder, linesInFrame > 0 {
            encoder.write([], mode: .end, into: &out)
            linesInFrame = 0
        }
        try drain()
    }

    private func rotate() throws(DriftError) {
        try endFrame()
        Glibc.close(fd)
        rotations += 1
        linesInFile = 0
        switch options.rotation {
        case .rename:
            let rotated = path + "-" + format4(rotations)
            guard rename(path, rotated) == 0 else {
                throw DriftError(.io, "cannot rename \(path) to \(rotated): \(FileSystem.errnoText())")
            }
            files[files.count - 1] = rotated
            try openLive()
        case .replace:
            let directory = FileSystem.directory(of: path)
            let name = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
            let kept = directory + "/replaced-" + format4(rotations) + "-" + name
            let temporary = directory + "/.tmp-" + name
            guard link(path, kept) == 0 else {
                throw DriftError(.io, "cannot link \(path) to \(kept): \(FileSystem.errnoText())")
            }
            files[files.count - 1] = kept
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0, rename(temporary, path) == 0 else {
                throw DriftError(.io, "cannot replace \(path): \(FileSystem.errnoText())")
            }
            files.append(path)
        }
    }

    private func openLive() throws(DriftError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DriftError(.io, "cannot create \(path): \(FileSystem.errnoText())") }
        files.append(path)
    }

    private func drain() throws(DriftError) {
        var done = 0
        while done < out.count {
            let n = out.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { throw DriftError(.io, "cannot write \(path): \(FileSystem.errnoText())") }
            done += n
        }
        out.removeAll(keepingCapacity: true)
    }

    private func format4(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
