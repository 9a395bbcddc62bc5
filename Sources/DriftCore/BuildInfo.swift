/// What `driftd --version` prints and `driftd_build_info` will carry: the version, the build configuration and the
/// compiler, so that a report of a problem says which driftd had it.
public enum BuildInfo {
    public static let version = "0.3.0"

    /// `release` or `debug`.
    public static var configuration: String {
        #if DEBUG
            return "debug"
        #else
            return "release"
        #endif
    }

    public static var compiler: String {
        #if compiler(>=6.3)
            return "Swift 6.3+"
        #elseif compiler(>=6.2)
            return "Swift 6.2"
        #else
            return "Swift 6"
        #endif
    }

    public static var platform: String {
        #if os(Linux)
            #if arch(x86_64)
                return "linux-x86_64"
            #elseif arch(arm64)
                return "linux-aarch64"
            #else
                return "linux"
            #endif
        #else
            return "other"
        #endif
    }

    /// One line: `0.3.0 (release, Swift 6.3+, linux-x86_64)`.
    public static var line: String { "\(version) (\(configuration), \(compiler), \(platform))" }
}
