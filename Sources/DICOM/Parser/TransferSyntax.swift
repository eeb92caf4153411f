// Transfer syntaxes: how the data set after the file meta group is encoded.

/// A DICOM transfer syntax: byte order, VR explicitness, deflate and pixel encapsulation.
public struct TransferSyntax: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let uid: String
    public let name: String
    public let isExplicitVR: Bool
    public let isBigEndian: Bool
    public let isDeflated: Bool
    /// Pixel data is encapsulated (compressed fragments) rather than native.
    public let isEncapsulated: Bool

    public init(uid: String, name: String, isExplicitVR: Bool = true, isBigEndian: Bool = false,
                isDeflated: Bool = false, isEncapsulated: Bool = true) {
        self.uid = uid; self.name = name; self.isExplicitVR = isExplicitVR; self.isBigEndian = isBigEndian
        self.isDeflated = isDeflated; self.isEncapsulated = isEncapsulated
    }

    public var description: String { "\(uid) (\(name))" }

    public static let implicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian", isExplicitVR: false, isEncapsulated: false)
    public static let explicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", isEncapsulated: false)
    public static let explicitVRBigEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian (retired)", isBigEndian: true, isEncapsulated: false)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.99", name: "Deflated Explicit VR Little Endian", isDeflated: true, isEncapsulated: false)

    /// Encapsulated (compressed) syntaxes: all explicit VR little endian.
    public static let encapsulated: [TransferSyntax] = [
        ("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
        ("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
        ("1.2.840.10008.1.2.4.53", "JPEG Extended (Process 6 & 8, retired)"),
        ("1.2.840.10008.1.2.4.55", "JPEG Full Progression (Process 10 & 12, retired)"),
        ("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)"),
        ("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1 (Process 14, Selection Value 1)"),
        ("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
        ("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
        ("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless Only"),
        ("1.2.840.10008.1.2.4.91", "JPEG 2000"),
        ("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Lossless Only"),
        ("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Lossless Only"),
        ("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
        ("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile @ Main Level"),
        ("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile"),
        ("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
        ("1.2.840.10008.1.2.4.112", "JPEG XL"),
        ("1.2.840.10008.1.2.5", "RLE Lossless"),
    ].map { TransferSyntax(uid: $0.0, name: $0.1) }

    static let all: [TransferSyntax] =
        [.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian] + encapsulated

    /// The known transfer syntax with this UID (trailing NUL/space padding ignored), or nil.
    public static func named(_ uid: String) -> TransferSyntax? {
        let clean = uid.trimmingDicomPadding()
        return all.first { $0.uid == clean }
    }
}

extension String {
    /// Removes leading and trailing spaces and trailing NULs (DICOM value padding).
    func trimmingDicomPadding() -> String {
        var s = Substring(self)
        while let c = s.last, c == " " || c == "\0" { s.removeLast() }
        while let c = s.first, c == " " { s.removeFirst() }
        return String(s)
    }
}
