// swift-tools-version: 6.1
import PackageDescription

// Modules follow the data flow of DESIGN §1:
// sources → zstd decoding → records → windows → statistics → sinks, wired together by the pipeline.
// Pure logic (DriftZstd's framing, DriftRecords, DriftWindows, DriftStats, DriftSinks' encoders) never touches
// files, clocks or globals.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "driftd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "driftd", targets: ["driftd"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // The optional HTTP endpoint (/metrics, /-/healthy, /-/ready, /-/reload): swift-nio's HTTP/1 server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "DriftCore", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // The system calls every driver needs (files, locks, systemd, the allocator), apart from the pure values.
        .target(name: "DriftSystem", dependencies: ["DriftCore", "CMalloc"], swiftSettings: strict),
        .target(name: "DriftZstd", dependencies: ["CZstd", "DriftCore"], swiftSettings: strict),
        .target(name: "DriftRecords", dependencies: ["DriftCore"], swiftSettings: strict),
        .target(name: "DriftWindows", dependencies: ["DriftCore"], swiftSettings: strict),
        .target(name: "DriftStats", dependencies: ["DriftCore"], swiftSettings: strict),
        .target(name: "DriftEvaluate", dependencies: ["DriftStats"], swiftSettings: strict),
        .target(name: "DriftAlerts", dependencies: ["DriftCore", "DriftStats"], swiftSettings: strict),
        .target(
            name: "DriftHooks",
            dependencies: ["DriftCore", "DriftSystem", "DriftAlerts", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "DriftConfig",
            dependencies: [
                "DriftCore", "DriftSystem", "DriftRecords", "DriftWindows", "DriftStats", "DriftAlerts",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DriftSources",
            dependencies: [
                "DriftCore", "DriftSystem", "DriftZstd", "DriftRecords",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DriftSinks", dependencies: ["DriftCore", "DriftSystem", "DriftStats", "DriftAlerts"],
            swiftSettings: strict),
        // The aggregation core: records into windows within the limits, sketches on shards, windows closed.
        .target(
            name: "DriftAggregate",
            dependencies: [
                "DriftCore", "DriftRecords", "DriftWindows", "DriftStats", "DriftEvaluate",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DriftPipeline",
            dependencies: [
                "DriftAggregate",
                "DriftCore", "DriftSystem", "DriftConfig", "DriftSources", "DriftRecords", "DriftWindows", "DriftStats",
                "DriftZstd",
                "DriftEvaluate", "DriftSinks", "DriftAlerts", "DriftHooks", "DriftHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // The optional HTTP endpoint: routes (pure) and the swift-nio server that answers them.
        .target(
            name: "DriftHTTP",
            dependencies: [
                "DriftCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DriftReport",
            dependencies: [
                "DriftCore", "DriftRecords", "DriftEvaluate", "DriftAlerts",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .target(name: "DriftGenerate", dependencies: ["DriftCore", "DriftSystem", "DriftZstd"], swiftSettings: strict),
        .executableTarget(
            name: "driftd",
            dependencies: [
                "DriftCore", "DriftSystem", "DriftConfig", "DriftPipeline", "DriftGenerate", "DriftReport",
                "DriftAlerts",
                "DriftEvaluate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sketch-accuracy", dependencies: ["DriftStats", "DriftGenerate"], path: "Benchmarks/SketchAccuracy",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "stage-times",
            dependencies: [
                "DriftCore", "DriftSystem", "DriftAggregate", "DriftPipeline", "DriftRecords", "DriftStats",
                "DriftWindows",
                "DriftZstd",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/StageTimes", swiftSettings: strict
        ),
        .executableTarget(
            name: "json-fuzz", dependencies: ["DriftTestSupport"], path: "Benchmarks/JSONFuzz", swiftSettings: strict
        ),
        .executableTarget(
            name: "record-fuzz", dependencies: ["DriftTestSupport", "DriftCore"], path: "Benchmarks/RecordFuzz",
            swiftSettings: strict
        ),
        .target(
            name: "DriftTestSupport",
            dependencies: [
                "DriftCore", "DriftZstd", "DriftRecords", "DriftAggregate", "DriftPipeline", "DriftSinks",
                "DriftSources",
                "DriftStats",
                "DriftWindows", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DriftTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "DriftCoreTests", dependencies: ["DriftCore"], swiftSettings: strict),
        .testTarget(name: "DriftZstdTests", dependencies: ["DriftZstd", "DriftTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DriftRecordsTests", dependencies: ["DriftRecords", "DriftTestSupport"], swiftSettings: strict),
        .testTarget(name: "DriftWindowsTests", dependencies: ["DriftWindows"], swiftSettings: strict),
        .testTarget(
            name: "DriftStatsTests", dependencies: ["DriftStats", "DriftTestSupport", "DriftZstd"],
            exclude: ["Fixtures"],  // read from the source tree (scripts/make_sketch_fixture.py writes them)
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftEvaluateTests", dependencies: ["DriftEvaluate", "DriftStats", "DriftTestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strict
        ),
        .testTarget(
            name: "DriftAlertsTests", dependencies: ["DriftAlerts", "DriftStats", "DriftTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftHooksTests", dependencies: ["DriftHooks", "DriftAlerts", "DriftTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftSinksTests",
            dependencies: [
                "DriftSinks", "DriftCore", "DriftTestSupport", "DriftPipeline", "DriftConfig", "DriftWindows",
                "DriftAlerts",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftHTTPTests", dependencies: ["DriftHTTP", "DriftCore", "DriftTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DriftReportTests", dependencies: ["DriftReport", "DriftEvaluate", "DriftAlerts", "DriftCore"],
            swiftSettings: strict),
        .testTarget(
            name: "DriftConfigTests", dependencies: ["DriftConfig", "DriftRecords", "DriftAlerts"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftAggregateTests",
            dependencies: ["DriftAggregate", "DriftTestSupport", "DriftRecords", "DriftStats", "DriftWindows"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftPipelineTests",
            dependencies: [
                "DriftAggregate", "DriftPipeline", "DriftGenerate", "DriftTestSupport", "DriftZstd", "DriftConfig",
                "DriftEvaluate",
                "DriftStats", "DriftSinks", "DriftSystem",
            ],
            exclude: ["Fixtures"],  // read from the source tree (scripts/nested_fixture.py writes them)
            swiftSettings: strict
        ),
        .testTarget(
            name: "DriftSourcesTests", dependencies: ["DriftSources", "DriftTestSupport", "DriftZstd"],
            swiftSettings: strict
        ),
        .testTarget(name: "DriftCLITests", dependencies: ["driftd", "DriftTestSupport"], swiftSettings: strict),
    ]
)
