// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for roost's parsers (STYLE.md §10). A separate package on the root package, so the root's
// `swift test` never builds it. Build and run with run.sh (see README.md); a plain `swift build` here fails to
// link, because the harnesses have no main: libFuzzer's comes with `--sanitize=fuzzer`.
let package = Package(
    name: "roost-fuzz",
    dependencies: [
        .package(name: "roost", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzMessage",
            dependencies: [.product(name: "MessageFormat", package: "roost")]),
        .executableTarget(
            name: "FuzzAddress",
            dependencies: [.product(name: "MessageFormat", package: "roost")]),
    ]
)
