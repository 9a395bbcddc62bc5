import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system helpers driftd needs around POSIX calls.
public enum FileSystem {
    /// `mkdir -p`.
    public static func makeDirectories(_ path: String) throws(DriftError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw DriftError(.io, "cannot create directory \(prefix): \(errnoText())")
            }
            prefix += "/"
        }
    }

    /// The directory part of a path (`.` for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The names in a directory (none when it cannot be read).
    public static func entries(of directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// What a path is.
    public enum Kind: Equatable, Sendable {
        case regular, directory, fifo, socket, characterDevice, blockDevice, symbolicLink, other

        public init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFLNK: self = .symbolicLink
            default: self = .other
            }
        }

        /// For messages: "a directory", "a FIFO".
        public var article: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .fifo: "a FIFO"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .symbolicLink: "a symbolic link"
            case .other: "not a file"
            }
        }
    }

    /// What `path` is (following symbolic links), or nil when it cannot be stat'ed (`errno` says why).
    public static func kind(of path: String) -> Kind? {
        var st = stat()
        return stat(path, &st) == 0 ? Kind(mode: st.st_mode) : nil
    }

    /// The inode of a file, or nil.
    public static func inode(of path: String) -> UInt64? {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : nil
    }

    /// The text of the current `errno`.
    public static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// The modification time of a file in nanoseconds, or nil when it cannot be stat'ed.
    public static func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    /// Paths matching a shell glob, sorted by name; none when nothing matches.
    public static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// Orders files as they were written: oldest modification time first, then name (DESIGN §2).
    public static func sortedByWriteOrder(_ paths: [String]) -> [String] {
        let keyed = paths.map { ($0, modificationTime($0) ?? Int64.max) }
        return keyed.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
    }
}
