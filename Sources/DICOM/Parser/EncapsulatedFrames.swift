// Splitting encapsulated pixel data into frames (PS3.5 §A.4).
//
// The rule, in order:
//  1. an Extended Offset Table (7FE0,0001) with one entry per frame;
//  2. a non-empty Basic Offset Table with one entry per frame;
//  3. one frame: all fragments together;
//  4. as many fragments as frames: one fragment per frame;
//  5. otherwise a frame starts at each fragment that begins with a codestream start marker —
//     JPEG/JPEG-LS SOI (FF D8) or JPEG 2000 SOC+SIZ (FF 4F FF 51) — if that yields exactly one
//     start per frame, the first fragment being one of them.
// Anything else is refused: guessing would silently mix frames.
import OpenBCTCore

extension EncapsulatedPixelData {
    /// The fragment index ranges of each frame.
    func frameFragments(frameCount: Int, extendedOffsets: [UInt64]?, path: String?) throws -> [Range<Int>] {
        let location = Tag.pixelData.label
        guard !fragments.isEmpty else { throw InputError(path: path, location: location, "encapsulated pixel data has no fragments") }
        if let offsets = extendedOffsets, offsets.count == frameCount, let ranges = ranges(startingAt: offsets) {
            return ranges
        }
        if basicOffsetTable.count == frameCount, let ranges = ranges(startingAt: basicOffsetTable) {
            return ranges
        }
        if frameCount == 1 { return [0 ..< fragments.count] }
        if fragments.count == frameCount { return (0 ..< frameCount).map { $0 ..< $0 + 1 } }
        let starts = fragments.indices.filter { Self.beginsCodestream(fragments[$0]) }
        if starts.count == frameCount, starts.first == 0 {
            return zip(starts, starts.dropFirst() + [fragments.count]).map { $0 ..< $1 }
        }
        var detail = "no usable offset table"
        if !basicOffsetTable.isEmpty { detail = "the Basic Offset Table has \(basicOffsetTable.count) entries" }
        throw InputError(path: path, location: location,
                         "cannot split \(fragments.count) fragments into \(frameCount) frames: \(detail), and \(starts.count) fragments begin with a codestream start marker")
    }

    /// Frame ranges from offsets of each frame's first fragment item; nil when an offset does not
    /// point at a fragment item or the offsets are not increasing.
    private func ranges(startingAt offsets: [UInt64]) -> [Range<Int>]? {
        var starts: [Int] = []
        for offset in offsets {
            guard let i = fragmentIndex(at: offset), starts.last.map({ $0 < i }) ?? true else { return nil }
            starts.append(i)
        }
        guard starts.first == 0 else { return nil }
        return zip(starts, starts.dropFirst() + [fragments.count]).map { $0 ..< $1 }
    }

    private func fragmentIndex(at offset: UInt64) -> Int? {
        var lo = 0, hi = fragmentOffsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if fragmentOffsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < fragmentOffsets.count && fragmentOffsets[lo] == offset ? lo : nil
    }

    static func beginsCodestream(_ f: [UInt8]) -> Bool {
        guard f.count >= 2, f[0] == 0xFF else { return false }
        if f[1] == 0xD8 { return true }
        return f.count >= 4 && f[1] == 0x4F && f[2] == 0xFF && f[3] == 0x51
    }
}
