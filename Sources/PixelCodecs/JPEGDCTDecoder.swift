// placeholder until the 12-bit DCT decoder lands
import OpenBCTCore
enum JPEGDCTDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, codecName: String) throws -> [Int32] {
        throw InputError(location: codecName, "unsupported: 12-bit DCT JPEG")
    }
}
