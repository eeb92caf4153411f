// JPEGDecoder (work in progress: the API commit routes here first).
import OpenBCTCore

enum JPEGDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor: FrameDescriptor, codec: PixelCodec) throws -> [UInt8] {
        throw InputError(location: "JPEGDecoder", "not implemented yet")
    }
}
