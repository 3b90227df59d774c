// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 mode and the upcoming features STYLE.md asks for.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")

let package = Package(
    name: "woodstock-relay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "woodstock", targets: ["woodstock"]),
        .executable(name: "woodstock-sandbox", targets: ["woodstock-sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C layer: module maps only.
        // hiredis's .pc file adds -D_FILE_OFFSET_BITS=64, which SwiftPM rejects with a warning; its header
        // lives in the default include path, so the module map finds it without pkg-config.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // Safe wrappers: the only modules with unsafe pointer code. (Our OpenSSL wrapper is `CryptoCore`,
        // because swift-crypto, which Hummingbird pulls in, already owns the module name `Crypto`.)
        .target(name: "Redis", dependencies: ["CHiredis", log], swiftSettings: strictSettings),
        .target(name: "Postgres", dependencies: ["CLibpq", log, metrics], swiftSettings: strictSettings),
        .target(name: "HTTP", dependencies: ["CCurl", log], swiftSettings: strictSettings),
        .target(name: "CryptoCore", dependencies: ["COpenSSL"], swiftSettings: strictSettings),

        // Engines.
        .target(name: "Jobs", dependencies: ["Redis", log, metrics, lifecycle, "Yams"], swiftSettings: strictSettings),
        .target(name: "Store", dependencies: ["Postgres", log], swiftSettings: strictSettings),
        .target(name: "Vault", dependencies: ["CryptoCore", "Store", log], swiftSettings: strictSettings),
        .target(name: "Meta", dependencies: ["HTTP", "CryptoCore", log], swiftSettings: strictSettings),
        .target(name: "Assistant", dependencies: ["HTTP", log], swiftSettings: strictSettings),
        .target(
            name: "CustomTools", dependencies: ["Assistant", "HTTP", "CryptoCore", "Store", "Vault", log],
            swiftSettings: strictSettings),

        // Features.
        .target(
            name: "Billing", dependencies: ["Jobs", "Redis", "Store", "Postgres", "HTTP", log, metrics],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Accounts",
            dependencies: ["Jobs", "Store", "Vault", "Meta", "CryptoCore", "Redis", "Postgres", log, metrics],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Messaging",
            dependencies: ["Jobs", "Store", "Vault", "Meta", "Assistant", "Billing", "Postgres", "Redis", log, metrics],
            swiftSettings: strictSettings
        ),

        // Composition root and executables.
        .target(
            name: "Relay",
            dependencies: [
                "Redis", "Postgres", "HTTP", "CryptoCore", "Jobs", "Store", "Vault", "Meta", "Assistant", "Billing", "Accounts", "Messaging", "Web", "CustomTools",
                log, metrics, lifecycle, hummingbird,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "woodstock",
            dependencies: ["Relay", "Store", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .target(name: "SandboxServer", dependencies: [hummingbird, log], swiftSettings: strictSettings),
        .target(
            name: "Web",
            dependencies: [
                hummingbird, "Meta", "Redis", "CryptoCore", "Jobs", "Store", "Postgres", "Messaging", "Billing", "Vault",
                "HTTP", log, metrics,
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.embedInCode("Templates")], swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "woodstock-sandbox",
            dependencies: [
                "SandboxServer", hummingbird, log, .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        .executableTarget(
            name: "woodstock-bench",
            dependencies: ["Relay", "Web", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Redis", "Postgres", log], path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "RedisTests", dependencies: ["Redis", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "HTTPTests", dependencies: ["HTTP", "TestSupport", log], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(name: "CryptoCoreTests", dependencies: ["CryptoCore"], swiftSettings: strictSettings),
        .testTarget(name: "RelayTests", dependencies: ["Relay"], swiftSettings: strictSettings),
        .testTarget(
            name: "SystemTests", dependencies: ["Relay", "Jobs", "Redis", "TestSupport", log], swiftSettings: strictSettings),
        .testTarget(
            name: "BillingTests",
            dependencies: ["Billing", "TestSupport", "Store", "Jobs", "Redis", "Postgres", "HTTP", lifecycle],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AccountsTests",
            dependencies: [
                "Accounts", "TestSupport", "Store", "Vault", "Meta", "HTTP", "Jobs", "Redis", "Postgres", lifecycle,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: [
                "Messaging", "CustomTools", "TestSupport", "Web", hummingbird,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "VaultTests", dependencies: ["Vault", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MetaTests", dependencies: ["Meta", "HTTP", "TestSupport", log], swiftSettings: strictSettings),
        // The fuzz targets' properties (Fuzz/*Fuzz.swift call them; scripts/fuzz builds this with -sanitize=fuzzer),
        // replayed over the committed corpus by FuzzCorpusTests.
        .target(name: "FuzzChecks", dependencies: ["Meta", "Jobs", "Redis"], path: "Fuzz/Checks", swiftSettings: strictSettings),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzChecks", "Meta"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Meta", "Redis", "CryptoCore", "Jobs", "Store", "Postgres", "TestSupport", "Vault", "HTTP", "Billing",
                hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["SandboxServer", hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AssistantTests", dependencies: ["Assistant", "HTTP", "TestSupport", log], swiftSettings: strictSettings),
        .testTarget(
            name: "CustomToolsTests",
            dependencies: ["CustomTools", "Assistant", "HTTP", "CryptoCore", "Store", "Vault", "TestSupport", log],
            swiftSettings: strictSettings),
    ]
)
