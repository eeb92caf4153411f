// swift-tools-version:6.1
// OpenBCT — open biomechanical CT. Module map: see docs/architecture.md.
import PackageDescription

/// Hot-loop modules are compiled for Haswell-class x86-64 (AVX2 + FMA): without an FMA-capable
/// target CPU, SIMD `addProduct` becomes a libm call per lane (toolchain.md). aarch64 builds skip it.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux])),
    // Optimised in every configuration: the test suite solves real FE models and decodes real series
    // in a debug build, which would take many minutes unoptimised.
    .unsafeFlags(["-O"]),
]

let package = Package(
    name: "OpenBCT",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "openbct", targets: ["openbct"]),
        .library(name: "OpenBCT", targets: [
            "OpenBCTCore", "DICOM", "ImageFormats", "FE", "Phantom", "Anatomy", "Calibration",
            "Densitometry", "Eligibility", "ResultModel", "Assessment", "Reporting", "Pipeline", "DICOMweb",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The clinical service (module Service) only.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // DICOMweb's HTTP client (SwiftNIO, shared with Hummingbird): corelibs URLSession hangs under
        // concurrent uploads (docs/dicomweb.md).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // C system libraries (Debian -dev packages), one shim each.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG", pkgConfig: "libopenjp2", providers: [.apt(["libopenjp2-7-dev"])]),
        .systemLibrary(name: "CCharLS", path: "Sources/CCharLS", pkgConfig: "charls", providers: [.apt(["libcharls-dev"])]),
        .systemLibrary(name: "CJPEGTurbo", path: "Sources/CJPEGTurbo", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // libjpeg reports errors by longjmp, which Swift cannot do: a small C wrapper holds the setjmp.
        .target(name: "CJPEGShim", dependencies: ["CJPEGTurbo"]),

        .target(name: "OpenBCTCore", swiftSettings: fastMath),
        .target(name: "PixelCodecs", dependencies: ["OpenBCTCore", "COpenJPEG", "CCharLS", "CJPEGShim"], swiftSettings: fastMath),
        .target(name: "DICOM", dependencies: ["OpenBCTCore", "PixelCodecs", "CZlib"], swiftSettings: fastMath),
        .target(name: "ImageFormats", dependencies: ["OpenBCTCore", "CZlib"]),
        .target(name: "FE", dependencies: ["OpenBCTCore"], swiftSettings: fastMath),
        .target(name: "Phantom", dependencies: ["OpenBCTCore", "DICOM", "ImageFormats"], swiftSettings: fastMath),
        .target(name: "Calibration", dependencies: ["OpenBCTCore"], swiftSettings: fastMath),
        .target(name: "Anatomy", dependencies: ["OpenBCTCore", "ImageFormats", "DICOM"], swiftSettings: fastMath),
        .target(name: "Densitometry", dependencies: ["OpenBCTCore", "Anatomy", "Calibration"], swiftSettings: fastMath),
        .target(name: "Eligibility", dependencies: ["OpenBCTCore", "DICOM", "Anatomy", "Calibration"], swiftSettings: fastMath),
        // The versioned result document: the one thing every rendering and the service read.
        .target(name: "ResultModel", dependencies: ["OpenBCTCore"]),
        .target(name: "Assessment", dependencies: ["OpenBCTCore", "ResultModel"]),
        .target(name: "Reporting", dependencies: ["OpenBCTCore", "DICOM", "ImageFormats", "ResultModel", "CCairo"], swiftSettings: fastMath),
        .target(name: "Pipeline", dependencies: [
            "OpenBCTCore", "DICOM", "ImageFormats", "FE", "Anatomy", "Calibration", "Densitometry", "Eligibility",
            "ResultModel", "Assessment", "Reporting",
        ]),
        .target(name: "DICOMweb", dependencies: [
            "OpenBCTCore", "DICOM", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // The clinical service: HTTP server, database (SQLite or PostgreSQL), users, orders, jobs, review.
        .target(name: "Service", dependencies: [
            "OpenBCTCore", "DICOM", "DICOMweb", "ResultModel", "Assessment", "Reporting", "CZlib",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "openbct", dependencies: [
            "OpenBCTCore", "DICOM", "ImageFormats", "FE", "Phantom", "Anatomy", "Calibration",
            "Densitometry", "Eligibility", "ResultModel", "Assessment", "Reporting", "Pipeline", "DICOMweb", "Service",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared helpers for tests: locating ../shared/data, running reference tools (pydicom, nibabel, ccx).
        .target(name: "TestSupport", dependencies: ["OpenBCTCore", "ImageFormats"], path: "Tests/TestSupport"),
        .testTarget(name: "OpenBCTCoreTests", dependencies: ["OpenBCTCore", "TestSupport"]),
        .testTarget(name: "PixelCodecsTests", dependencies: ["PixelCodecs", "TestSupport"]),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "ImageFormats", "TestSupport"]),
        .testTarget(name: "ImageFormatsTests", dependencies: ["ImageFormats", "TestSupport"]),
        .testTarget(name: "FETests", dependencies: ["FE", "ImageFormats", "TestSupport"]),
        .testTarget(name: "PhantomTests", dependencies: ["Phantom", "DICOM", "ImageFormats", "TestSupport"]),
        .testTarget(name: "AnatomyTests", dependencies: ["Anatomy", "ImageFormats", "DICOM", "Phantom", "TestSupport"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "DICOM", "ImageFormats", "TestSupport"]),
        .testTarget(name: "DensitometryTests", dependencies: ["Densitometry", "Eligibility", "Anatomy", "Calibration", "Phantom", "ImageFormats", "DICOM", "TestSupport"]),
        .testTarget(name: "ResultModelTests", dependencies: ["ResultModel", "Assessment", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "ResultModel", "DICOM", "ImageFormats", "Phantom", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Anatomy", "FE", "Phantom", "ImageFormats", "ResultModel", "Assessment", "Calibration", "TestSupport"]),
        .testTarget(name: "DICOMwebTests", dependencies: ["DICOMweb", "DICOM", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "DICOMweb", "DICOM", "ResultModel", "ImageFormats", "OpenBCTCore", "TestSupport"]),
    ]
)
