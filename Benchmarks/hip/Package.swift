// swift-tools-version:6.1
// Benchmark harness for hip densitometry, kept out of the main package: it depends on OpenBCT by path.
import PackageDescription

let package = Package(
    name: "hip-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "OpenBCT", path: "../..")],
    targets: [
        .executableTarget(name: "hip-bench", dependencies: [.product(name: "OpenBCT", package: "OpenBCT")]),
    ]
)
