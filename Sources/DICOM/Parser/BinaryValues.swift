// Reading and writing binary numbers (US, SS, UL, SL, FL, FD, …) in either byte order.

/// A view of binary value bytes as numbers of one VR.
struct BinaryValues {
    let bytes: [UInt8]
    let vr: VR
    let bigEndian: Bool

    private func word<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _ i: Int, as: T.Type) -> T {
        let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
        return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
    }

    var ints: [Int] {
        bytes.withUnsafeBytes { raw in
            switch vr {
            case .US, .OW: return (0..<raw.count / 2).map { Int(word(raw, $0, as: UInt16.self)) }
            case .SS: return (0..<raw.count / 2).map { Int(Int16(bitPattern: word(raw, $0, as: UInt16.self))) }
            case .UL, .OL: return (0..<raw.count / 4).map { Int(word(raw, $0, as: UInt32.self)) }
            case .SL: return (0..<raw.count / 4).map { Int(Int32(bitPattern: word(raw, $0, as: UInt32.self))) }
            case .SV: return (0..<raw.count / 8).map { Int(Int64(bitPattern: word(raw, $0, as: UInt64.self))) }
            case .UV, .OV: return (0..<raw.count / 8).compactMap { Int(exactly: word(raw, $0, as: UInt64.self)) }
            case .AT: return (0..<raw.count / 4).map {
                Int(word(raw, 2 * $0, as: UInt16.self)) << 16 | Int(word(raw, 2 * $0 + 1, as: UInt16.self)) }
            case .FL, .FD, .OF, .OD: return doubles.compactMap { $0.rounded() == $0 && abs($0) < 9e18 ? Int($0) : nil }
            case .OB, .UN: return raw.map { Int($0) }
            default: return []
            }
        }
    }

    var doubles: [Double] {
        bytes.withUnsafeBytes { raw in
            switch vr {
            case .FL, .OF: return (0..<raw.count / 4).map { Double(Float(bitPattern: word(raw, $0, as: UInt32.self))) }
            case .FD, .OD: return (0..<raw.count / 8).map { Double(bitPattern: word(raw, $0, as: UInt64.self)) }
            default: return ints.map(Double.init)
            }
        }
    }

    /// Encodes numbers as `vr` in the given byte order (integers rounded and clamped to the VR's range).
    static func encode(_ values: [Double], vr: VR, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ v: T) {
            withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian) { out.append(contentsOf: $0) }
        }
        func clamp<T: FixedWidthInteger>(_ v: Double, _: T.Type) -> T {
            if v.isNaN { return 0 }
            let c = max(Double(T.min), min(Double(T.max), v.rounded()))
            return T(exactly: c) ?? (c < 0 ? T.min : T.max)   // Double(T.max) may round past T.max
        }
        for v in values {
            switch vr {
            case .FL, .OF: put(Float(v).bitPattern)
            case .FD, .OD: put(v.bitPattern)
            case .SS: put(clamp(v, Int16.self))
            case .UL, .OL: put(clamp(v, UInt32.self))
            case .SL: put(clamp(v, Int32.self))
            case .SV: put(clamp(v, Int64.self))
            case .UV, .OV: put(clamp(v, UInt64.self))
            case .OB, .UN: out.append(clamp(v, UInt8.self))
            default: put(clamp(v, UInt16.self))   // US, OW
            }
        }
        return out
    }
}
