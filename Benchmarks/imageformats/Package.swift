// swift-tools-version:6.1
// Benchmark harness for ImageFormats, kept out of the main package: it depends on OpenBCT by path.
import PackageDescription

let package = Package(
    name: "imageformats-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "OpenBCT", path: "../..")],
    targets: [
        .executableTarget(name: "imageformats-bench", dependencies: [.product(name: "OpenBCT", package: "OpenBCT")]),
    ]
)
