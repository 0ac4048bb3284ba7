// swift-tools-version:6.0
import PackageDescription

// Imports run one way: roost → Delivery → RuleEngine → RuleLanguage → PatternMatching → CPCRE2,
// with MessageFormat and MaildirLayout beside them (STYLE.md §1). Only Delivery touches the OS.
let package = Package(
    name: "roost",
    products: [
        .executable(name: "roost", targets: ["roost"]),
        .library(name: "MessageFormat", targets: ["MessageFormat"]),
        .library(name: "MaildirLayout", targets: ["MaildirLayout"]),
        .library(name: "RuleLanguage", targets: ["RuleLanguage"]),
        .library(name: "RuleEngine", targets: ["RuleEngine"]),
        .library(name: "Delivery", targets: ["Delivery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2", path: "Sources/CPCRE2",
            pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "CRoostSys"),
        .target(name: "PatternMatching", dependencies: ["CPCRE2"]),
        .target(name: "MessageFormat"),
        .target(name: "MaildirLayout"),
        .target(name: "RuleLanguage", dependencies: ["PatternMatching", "MaildirLayout"]),
        .target(name: "RuleEngine", dependencies: ["RuleLanguage", "MessageFormat", "MaildirLayout", "PatternMatching"]),
        .target(
            name: "Delivery",
            dependencies: [
                "RuleEngine", "MessageFormat", "MaildirLayout", "CRoostSys",
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
        .executableTarget(name: "roost", dependencies: ["Delivery"]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MessageFormatTests", dependencies: ["MessageFormat", "TestSupport"]),
        .testTarget(name: "PatternMatchingTests", dependencies: ["PatternMatching", "TestSupport"]),
        .testTarget(name: "MaildirLayoutTests", dependencies: ["MaildirLayout"]),
        .testTarget(name: "RuleLanguageTests", dependencies: ["RuleLanguage", "TestSupport"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleEngine", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "TestSupport"]),
        .testTarget(name: "RoostCLITests", dependencies: ["TestSupport", "RuleLanguage"]),
    ]
)
